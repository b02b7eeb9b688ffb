/**
 * A small, strict XML reader for CI response and error documents.
 *
 * Text is kept exactly as sent: nothing is trimmed and nothing that looks like a number is
 * converted, so a job id `0123` or a token `1e5` stays a string. Repeated elements come back as
 * arrays, which {@link elements} hides so that one item and many items read the same way.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import { XMLParser, XMLValidator } from "fast-xml-parser"

/**
 * A parsed node: element text, an element with children, or the repetitions of an element.
 *
 * @since 0.1.0
 * @category models
 */
export type XmlNode = string | XmlElement | ReadonlyArray<XmlNode>

/**
 * An element with child elements, keyed by tag name.
 *
 * @since 0.1.0
 * @category models
 */
export interface XmlElement {
  readonly [name: string]: XmlNode
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  // An empty table keeps the five XML entities and numeric references (`&#x4e2d;`) but adds no HTML
  // names. The option's type only admits booleans, though fast-xml-parser 5 reads a table too.
  htmlEntities: {} as unknown as boolean
})

const isElement = (node: XmlNode | undefined): node is XmlElement =>
  typeof node === "object" && node !== null && !Array.isArray(node)

/**
 * Parses a document. Returns the reason on the left when the text is not well-formed XML or has a
 * DOCTYPE: CI never sends one, and refusing it rules out entity expansion attacks.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string): Either.Either<XmlElement, string> => {
  if (/<!DOCTYPE/i.test(text)) {
    return Either.left("document type declarations are not accepted")
  }

  if (text.trim() === "") {
    return Either.left("the body is empty")
  }

  const validation = XMLValidator.validate(text)
  if (validation !== true) {
    // The validator gives no column for some errors.
    const { col, line, msg } = validation.err
    return Either.left(`${msg} (line ${line}${col === undefined ? "" : `, column ${col}`})`)
  }

  try {
    const document: unknown = parser.parse(text)
    return isElement(document as XmlNode) ? Either.right(document as XmlElement) : Either.left("no root element")
  } catch (error) {
    // The parser throws on element names such as `constructor` that could pollute prototypes.
    return Either.left(error instanceof Error ? error.message : String(error))
  }
}

const isWhitespace = (node: XmlNode | undefined): boolean =>
  typeof node === "string" ? /^[ \t\r\n]*$/.test(node) : Array.isArray(node) && node.every(isWhitespace)

/**
 * Returns the root element when the document's root has the given name.
 *
 * @since 0.1.0
 * @category reading
 */
export const root = (document: XmlElement, name: string): XmlElement | undefined => {
  // fast-xml-parser 5 keeps the white space between the XML declaration and a processing
  // instruction as document text, although XML gives white space outside the root no meaning.
  const names = Object.keys(document).filter((key) => !(key === "#text" && isWhitespace(document[key])))
  if (names.length !== 1 || names[0] !== name) {
    return undefined
  }
  return elements(document, name)[0]
}

/**
 * Returns every child element with the given name, in document order: none, one or many.
 * An empty element (`<JobsDetail/>`) reads as an element without children.
 *
 * @since 0.1.0
 * @category reading
 */
export const elements = (parent: XmlElement, name: string): ReadonlyArray<XmlElement> => {
  const node = parent[name]
  if (node === undefined) {
    return []
  }
  const nodes: ReadonlyArray<XmlNode> = Array.isArray(node) ? node : [node]
  return nodes.map((item) => (isElement(item) ? item : {}))
}

/**
 * Returns the text of the first child element with the given name, or `undefined` when there is
 * no such element or it has child elements. An empty element reads as `""`.
 *
 * @since 0.1.0
 * @category reading
 */
export const text = (parent: XmlElement, name: string): string | undefined => {
  const node = parent[name]
  const first = Array.isArray(node) ? node[0] : node
  return typeof first === "string" ? first : undefined
}

/**
 * Returns the texts of every child element with the given name, in document order. Elements with
 * children are skipped.
 *
 * @since 0.1.0
 * @category reading
 */
export const texts = (parent: XmlElement, name: string): ReadonlyArray<string> => {
  const node = parent[name]
  if (node === undefined) {
    return []
  }
  const nodes: ReadonlyArray<XmlNode> = Array.isArray(node) ? node : [node]
  return nodes.filter((item): item is string => typeof item === "string")
}
