import * as Either from "effect/Either"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import type * as Emulator from "../Emulator.js"
import { formatCiTime } from "./time.js"

// A carriage return is written as a reference, because a parser turns a literal one into a line
// feed when it normalizes line ends.
const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;",
  "\r": "&#xD;"
}

/**
 * Characters that XML 1.0 does not allow anywhere in a document: C0 controls other than tab, line
 * feed and carriage return, U+FFFE, U+FFFF and unpaired surrogates.
 */
const forbiddenCharacter =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Escapes text for an element's content. Characters that XML 1.0 forbids, which can reach a
 * response through a percent-decoded path or a seeded job, become U+FFFD, so every document the
 * emulator sends is well-formed.
 *
 * @internal
 */
export const escapeText = (text: string): string =>
  text.replace(/[&<>"'\r]/g, (char) => entities[char]!).replace(new RegExp(forbiddenCharacter, "g"), "\uFFFD")

/** @internal */
export const element = (name: string, content: string): string => `<${name}>${content}</${name}>`

/** @internal */
export const textElement = (name: string, text: string): string => element(name, escapeText(text))

const isList = (value: Emulator.XmlValue): value is ReadonlyArray<string | Emulator.XmlElement> => Array.isArray(value)

/**
 * Renders `value` as one element named `name`, or as one element per item when it is a list.
 *
 * @internal
 */
export const renderValue = (name: string, value: Emulator.XmlValue): string => {
  if (typeof value === "string") {
    return textElement(name, value)
  }
  if (isList(value)) {
    return value.map((item) => renderValue(name, item)).join("")
  }
  return element(name, renderChildren(value))
}

/** @internal */
export const renderChildren = (value: Emulator.XmlElement): string =>
  Object.entries(value).map(([name, child]) => renderValue(name, child)).join("")

const renderInput = (input: Emulator.JobInput): string => {
  const children = [
    input.manifest === undefined ? "" : textElement("Manifest", input.manifest),
    input.urlFile === undefined ? "" : textElement("UrlFile", input.urlFile),
    input.prefix === undefined ? "" : textElement("Prefix", input.prefix),
    input.object === undefined ? "" : textElement("Object", input.object)
  ]
  return element("Input", children.join(""))
}

/**
 * Renders one `<JobsDetail>` element, children in the order CI's samples use.
 *
 * @internal
 */
export const renderJobsDetail = (job: Emulator.Job): string => {
  const children = [
    textElement("Code", job.code),
    textElement("Message", job.message),
    textElement("JobId", job.jobId),
    job.type === "Job" && job.tag !== undefined ? textElement("Tag", job.tag) : "",
    textElement("Name", job.name),
    textElement("Type", job.type),
    textElement("State", job.state),
    textElement("CreationTime", formatCiTime(job.creationTime)),
    textElement("StartTime", formatCiTime(job.startTime)),
    textElement("EndTime", formatCiTime(job.endTime)),
    job.progress === undefined ? "" : textElement("Progress", String(job.progress)),
    job.queueId === undefined ? "" : textElement("QueueId", job.queueId),
    renderInput(job.input),
    element("Operation", renderChildren(job.operation))
  ]
  return element("JobsDetail", children.join(""))
}

/**
 * Renders a CI error document. The declaration is spelled as in CI's error samples.
 *
 * @internal
 */
export const renderError = (code: string, message: string, requestId: string, traceId: string): string =>
  "<?xml version='1.0' encoding='utf-8' ?>" +
  element(
    "Error",
    textElement("Code", code) + textElement("Message", message) + textElement("RequestId", requestId) +
      textElement("TraceId", traceId)
  )

/**
 * A parsed XML document: the root element's name and its children.
 *
 * @internal
 */
export interface XmlDocument {
  readonly root: string
  readonly children: Emulator.XmlElement
}

/** The deepest element level a create body may have, the root being level 1. Real requests have about five. */
const maxNestedElements = 100

/** Parser messages can quote the whole element stack, so they are cut to this many characters. */
const maxReasonLength = 200

// Text is kept exactly (no trimming, no number parsing) so names and ids round-trip.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: maxNestedElements
})

const shortReason = (reason: string): string =>
  reason.length <= maxReasonLength ? reason : `${reason.slice(0, maxReasonLength)}...`

const utf8Decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * Decodes a request body as UTF-8. Returns the reason on the left when the bytes are not valid
 * UTF-8, instead of replacing them with U+FFFD.
 *
 * @internal
 */
export const decodeUtf8 = (bytes: Uint8Array): Either.Either<string, string> => {
  try {
    return Either.right(utf8Decoder.decode(bytes))
  } catch {
    return Either.left("the body is not valid UTF-8")
  }
}

/** Finds markup declarations (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT` ...), but not comments or CDATA sections. */
const markupDeclaration = /<!(?!--|\[CDATA\[)/

const textKey = "#text"

type Parsed = string | { readonly [name: string]: Parsed } | ReadonlyArray<Parsed>

/**
 * Converts the parser's output into plain XML data. An element holding only whitespace becomes an
 * empty element, because pretty-printed input puts whitespace between child elements. `depth` is
 * the level of the element `name`, 1 for the root. The nesting limit is checked here as well,
 * because fast-xml-parser enforces `maxNestedTags` only from 5.12 on and this function recurses
 * once per level.
 */
const normalize = (name: string, value: Parsed, depth: number): Either.Either<Emulator.XmlValue, string> => {
  if (depth > maxNestedElements) {
    return Either.left(`elements are nested more than ${maxNestedElements} levels deep`)
  }
  if (typeof value === "string") {
    return Either.right(value)
  }
  if (Array.isArray(value)) {
    const items: Array<string | Emulator.XmlElement> = []
    for (const item of value as ReadonlyArray<Parsed>) {
      const normalized = normalize(name, item, depth)
      if (Either.isLeft(normalized)) {
        return normalized
      }
      items.push(normalized.right as string | Emulator.XmlElement)
    }
    return Either.right(items)
  }

  const children: Record<string, Emulator.XmlValue> = {}
  for (const [childName, child] of Object.entries(value as { readonly [name: string]: Parsed })) {
    if (childName === textKey) {
      if (typeof child === "string" && child.trim() !== "") {
        return Either.left(`element ${name} mixes text with child elements`)
      }
      continue
    }
    const normalized = normalize(childName, child, depth + 1)
    if (Either.isLeft(normalized)) {
      return normalized
    }
    children[childName] = normalized.right
  }
  return Either.right(children)
}

/**
 * Parses an XML document with exactly one root element. Returns the reason on the left when the
 * text is not well-formed XML, contains a character XML 1.0 forbids or nests elements more than
 * `maxNestedElements` deep. Markup declarations such as DOCTYPE and ENTITY are rejected, so no
 * entity can be defined and only the predefined and HTML entities expand.
 *
 * @internal
 */
export const parseDocument = (text: string): Either.Either<XmlDocument, string> => {
  if (markupDeclaration.test(text)) {
    return Either.left("markup declarations such as DOCTYPE and ENTITY are not allowed")
  }
  const forbidden = forbiddenCharacter.exec(text)
  if (forbidden !== null) {
    const codePoint = forbidden[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")
    return Either.left(`the character U+${codePoint} at offset ${forbidden.index} is not allowed in XML 1.0`)
  }

  const validation = XMLValidator.validate(text)
  if (validation !== true) {
    const { col, line, msg } = validation.err
    return Either.left(`${shortReason(msg)} (line ${line}, column ${col})`)
  }

  let parsed: Record<string, Parsed>
  try {
    parsed = parser.parse(text) as Record<string, Parsed>
  } catch (error) {
    // The parser throws on element names such as __proto__ and on nesting past maxNestedTags.
    return Either.left(shortReason(error instanceof Error ? error.message : String(error)))
  }

  const roots = Object.entries(parsed).filter(([name]) => name !== textKey)
  const rootCount = roots.reduce((count, [, content]) => count + (Array.isArray(content) ? content.length : 1), 0)
  if (rootCount !== 1) {
    return Either.left(`a document must have exactly one root element, got ${rootCount}`)
  }

  const [root, content] = roots[0]!
  if (typeof content === "string") {
    return content.trim() === ""
      ? Either.right({ root, children: {} })
      : Either.left(`root element ${root} contains text instead of child elements`)
  }
  return normalize(root, content, 1).pipe(
    Either.map((children) => ({ root, children: children as Emulator.XmlElement }))
  )
}
