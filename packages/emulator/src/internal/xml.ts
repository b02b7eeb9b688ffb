import * as Either from "effect/Either"
import { XMLParser, XMLValidator } from "fast-xml-parser"
import type * as Emulator from "../Emulator.js"
import { formatCiTime } from "./time.js"

const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\"": "&quot;",
  "'": "&apos;"
}

/** @internal */
export const escapeText = (text: string): string => text.replace(/[&<>"']/g, (char) => entities[char]!)

/** @internal */
export const element = (name: string, content: string): string => `<${name}>${content}</${name}>`

/** @internal */
export const textElement = (name: string, text: string): string => element(name, escapeText(text))

const isList = (value: Emulator.XmlValue): value is ReadonlyArray<string | Emulator.XmlElement> =>
  Array.isArray(value)

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

// Text is kept exactly (no trimming, no number parsing) so names and ids round-trip.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true
})

const textKey = "#text"

type Parsed = string | { readonly [name: string]: Parsed } | ReadonlyArray<Parsed>

/**
 * Converts the parser's output into plain XML data. An element holding only whitespace becomes an
 * empty element, because pretty-printed input puts whitespace between child elements.
 */
const normalize = (name: string, value: Parsed): Either.Either<Emulator.XmlValue, string> => {
  if (typeof value === "string") {
    return Either.right(value)
  }
  if (Array.isArray(value)) {
    const items: Array<string | Emulator.XmlElement> = []
    for (const item of value as ReadonlyArray<Parsed>) {
      const normalized = normalize(name, item)
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
    const normalized = normalize(childName, child)
    if (Either.isLeft(normalized)) {
      return normalized
    }
    children[childName] = normalized.right
  }
  return Either.right(children)
}

/**
 * Parses an XML document with exactly one root element. Returns the reason on the left when the
 * text is not well-formed XML. DOCTYPE declarations are rejected, so no entity can be defined.
 *
 * @internal
 */
export const parseDocument = (text: string): Either.Either<XmlDocument, string> => {
  if (/<!DOCTYPE/i.test(text)) {
    return Either.left("DOCTYPE declarations are not allowed")
  }

  const validation = XMLValidator.validate(text)
  if (validation !== true) {
    const { col, line, msg } = validation.err
    return Either.left(`${msg} (line ${line}, column ${col})`)
  }

  let parsed: Record<string, Parsed>
  try {
    parsed = parser.parse(text) as Record<string, Parsed>
  } catch (error) {
    // The parser throws on element names such as __proto__.
    return Either.left(error instanceof Error ? error.message : String(error))
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
  return normalize(root, content).pipe(
    Either.map((children) => ({ root, children: children as Emulator.XmlElement }))
  )
}
