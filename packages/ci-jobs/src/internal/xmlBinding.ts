/**
 * XML data binding driven by a schema's wire side. The schema gives which elements contain text,
 * which contain child elements and which repeat, and in what order children are written. The writer
 * walks an encoded value in that order. The reader turns what `CiXml.parse` returns into the shape
 * the schema decodes.
 */
import type * as CiXml from "@effect-cos/http/CiXml"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"
import { parentElement, textElement } from "./requestXml.js"

/**
 * The wire key of a struct field that contains the element's other children, by element name. The
 * reader collects every child the struct does not declare under it, and the writer writes its
 * entries in place of the field, in their own order. No XML element name starts with `#`, so the
 * key cannot clash with a child element.
 *
 * @internal
 */
export const otherElementsKey = "#otherElements"

/**
 * Annotation of a schema from element text: the texts that mean the element carries no value,
 * such as `-` for a time CI has not set yet. The reader leaves such an element out.
 *
 * @internal
 */
export const AbsentTextsId: unique symbol = Symbol.for("@effect-cos/ci-jobs/AbsentTexts")

type WireShape =
  | { readonly _tag: "Text"; readonly absentTexts: ReadonlyArray<string> }
  | { readonly _tag: "Repeated"; readonly item: AST.AST }
  | { readonly _tag: "Element"; readonly fields: ReadonlyArray<AST.PropertySignature> }
  | { readonly _tag: "Free" }

const free: WireShape = { _tag: "Free" }

const isText = (ast: AST.AST): boolean =>
  ast._tag === "StringKeyword" || ast._tag === "TemplateLiteral" ||
  (ast._tag === "Literal" && typeof ast.literal === "string")

/**
 * Finds how a schema's wire side maps onto XML. Transformations are followed to their `from`
 * side, optional fields to the type they hold. Any other union, a record and anything unknown is
 * free-form: text, child elements by name, or arrays of repeated elements.
 */
const shapeOf = (ast: AST.AST): WireShape => {
  let absentTexts: ReadonlyArray<string> = []
  let current = ast
  for (;;) {
    const annotation = AST.getAnnotation<ReadonlyArray<string>>(current, AbsentTextsId)
    if (Option.isSome(annotation)) {
      absentTexts = annotation.value
    }
    switch (current._tag) {
      case "Suspend": {
        current = current.f()
        continue
      }
      case "Refinement":
      case "Transformation": {
        current = current.from
        continue
      }
      case "Union": {
        const members = current.types.filter((member) => member._tag !== "UndefinedKeyword")
        if (members.length === 1) {
          current = members[0]
          continue
        }
        return members.every(isText) ? { _tag: "Text", absentTexts } : free
      }
      case "TypeLiteral":
        return current.propertySignatures.length > 0 ? { _tag: "Element", fields: current.propertySignatures } : free
      case "TupleType":
        return current.elements.length === 0 && current.rest.length === 1 ?
          { _tag: "Repeated", item: current.rest[0].type } :
          free
      default:
        return isText(current) ? { _tag: "Text", absentTexts } : free
    }
  }
}

// Reading

const isElement = (node: CiXml.XmlNode): node is CiXml.XmlElement =>
  typeof node === "object" && node !== null && !Array.isArray(node)

// As `CiXml.text`: the first occurrence, and no text for an element that has children.
const firstText = (node: CiXml.XmlNode): string | undefined => {
  const first = Array.isArray(node) ? node[0] : node
  return typeof first === "string" ? first : undefined
}

// As `CiXml.elements`: the first occurrence, and an element with text only reads as empty.
const firstElement = (node: CiXml.XmlNode): CiXml.XmlElement => {
  const first = Array.isArray(node) ? node[0] : node
  return first !== undefined && isElement(first) ? first : {}
}

const readNode = (ast: AST.AST, node: CiXml.XmlNode): unknown => {
  const shape = shapeOf(ast)
  switch (shape._tag) {
    case "Text": {
      const text = firstText(node)
      return text === undefined || shape.absentTexts.includes(text) ? undefined : text
    }
    case "Repeated": {
      const nodes: ReadonlyArray<CiXml.XmlNode> = Array.isArray(node) ? node : [node]
      const items = nodes.map((item) => readNode(shape.item, item)).filter((item) => item !== undefined)
      return items.length === 0 ? undefined : items
    }
    case "Element":
      return readFields(shape.fields, firstElement(node))
    case "Free":
      return node
  }
}

const readFields = (
  fields: ReadonlyArray<AST.PropertySignature>,
  element: CiXml.XmlElement
): Record<PropertyKey, unknown> => {
  const declared = new Set<PropertyKey>(fields.map((field) => field.name))
  const value: Record<PropertyKey, unknown> = {}
  for (const field of fields) {
    if (field.name === otherElementsKey) {
      // `#text` is the parser's key for text mixed with child elements, not a child.
      const others = Object.entries(element).filter(([name]) => !declared.has(name) && !name.startsWith("#"))
      if (others.length > 0) {
        value[otherElementsKey] = Object.fromEntries(others)
      }
      continue
    }
    const node = typeof field.name === "string" && Object.hasOwn(element, field.name) ? element[field.name] : undefined
    const read = node === undefined ? undefined : readNode(field.type, node)
    if (read !== undefined) {
      value[field.name] = read
    }
  }
  return value
}

/**
 * Reads a parsed element into the wire shape of `ast`, which must describe an element. Undeclared
 * children are dropped, so elements CI adds later never fail a decode. A repeated element where
 * one is expected reads as its first occurrence, and a child that contains an absent text (see
 * {@link AbsentTextsId}) or the wrong kind of content reads as missing.
 *
 * @internal
 */
export const readElement = (ast: AST.AST, element: CiXml.XmlElement): Record<PropertyKey, unknown> => {
  const shape = shapeOf(ast)
  return shape._tag === "Element" ? readFields(shape.fields, element) : { ...element }
}

// Writing

const isRecord = (value: unknown): value is Readonly<Record<PropertyKey, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const writeFree = (name: string, value: unknown): string => {
  if (typeof value === "string") {
    return textElement(name, value)
  }
  if (Array.isArray(value)) {
    return value.map((item) => writeFree(name, item)).join("")
  }
  return isRecord(value) ? parentElement(name, writeFreeChildren(value)) : ""
}

const writeFreeChildren = (children: unknown): ReadonlyArray<string> =>
  isRecord(children) ? Object.entries(children).map(([name, child]) => writeFree(name, child)) : []

/**
 * Writes an encoded value as the element `name`, children in the order the schema declares them.
 * Absent values and elements left without children are not written, and text is escaped.
 *
 * @internal
 */
export const writeElement = (name: string, ast: AST.AST, value: unknown): string => {
  if (value === undefined) {
    return ""
  }
  const shape = shapeOf(ast)
  if (shape._tag === "Repeated" && Array.isArray(value)) {
    return value.map((item) => writeElement(name, shape.item, item)).join("")
  }
  if (shape._tag === "Element" && isRecord(value)) {
    const children = shape.fields.map((field) =>
      field.name === otherElementsKey ?
        writeFreeChildren(value[otherElementsKey]).join("") :
        writeElement(String(field.name), field.type, value[field.name])
    )
    return parentElement(name, children)
  }
  return writeFree(name, value)
}
