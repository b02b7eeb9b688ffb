import * as Effect from "effect/Effect"
import type * as Emulator from "../Emulator.js"
import { type CiError, invalidArgument } from "./response.js"

/**
 * The fields of a job taken from a create request.
 *
 * @internal
 */
export interface NewJob {
  readonly name: string
  readonly type: Emulator.JobType
  readonly input: Emulator.JobInput
  readonly operation: Emulator.XmlElement
  readonly tag: string | undefined
  readonly queueId: string | undefined
}

/** The documented limit for `Name`, counted in characters (code points). */
const maxNameLength = 128

const inputKinds = [
  ["Manifest", "manifest"],
  ["UrlFile", "urlFile"],
  ["Prefix", "prefix"],
  ["Object", "object"]
] as const

const isElement = (value: Emulator.XmlValue): value is Emulator.XmlElement =>
  typeof value === "object" && !Array.isArray(value)

/** Reads a text child that may appear at most once. `path` names it in error messages. */
const optionalText = (
  parent: Emulator.XmlElement,
  name: string,
  path: string
): Effect.Effect<string | undefined, CiError> => {
  const value = parent[name]
  if (value === undefined) {
    return Effect.succeed(undefined)
  }
  if (typeof value !== "string") {
    return Effect.fail(invalidArgument(`${path} must appear once and contain only text`))
  }
  return Effect.succeed(value)
}

const requiredText = (
  parent: Emulator.XmlElement,
  name: string,
  path: string,
  reason = ""
): Effect.Effect<string, CiError> =>
  Effect.flatMap(optionalText(parent, name, path), (value) => {
    if (value === undefined) {
      return Effect.fail(invalidArgument(`${path} is required${reason}`))
    }
    if (value.trim() === "") {
      return Effect.fail(invalidArgument(`${path} must not be empty`))
    }
    return Effect.succeed(value)
  })

/** Reads a child element that must appear once. An element with only whitespace counts as empty. */
const requiredElement = (
  parent: Emulator.XmlElement,
  name: string
): Effect.Effect<Emulator.XmlElement, CiError> => {
  const value = parent[name]
  if (value === undefined) {
    return Effect.fail(invalidArgument(`${name} is required`))
  }
  if (typeof value === "string" && value.trim() === "") {
    return Effect.succeed({})
  }
  if (!isElement(value)) {
    return Effect.fail(invalidArgument(`${name} must appear once and contain child elements`))
  }
  return Effect.succeed(value)
}

const parseInput = (request: Emulator.XmlElement): Effect.Effect<Emulator.JobInput, CiError> =>
  Effect.gen(function*() {
    const input = yield* requiredElement(request, "Input")

    const present = inputKinds.filter(([elementName]) => input[elementName] !== undefined)
    if (present.length !== 1) {
      const found = present.length === 0 ? "none" : present.map(([elementName]) => elementName).join(", ")
      return yield* Effect.fail(
        invalidArgument(`Input must contain exactly one of Manifest, UrlFile, Prefix or Object, got ${found}`)
      )
    }

    const [elementName, field] = present[0]!
    const value = yield* optionalText(input, elementName, `Input/${elementName}`)
    return { [field]: value }
  })

/**
 * Validates the children of a create request's `<Request>` element.
 *
 * @internal
 */
export const parseCreateRequest = (request: Emulator.XmlElement): Effect.Effect<NewJob, CiError> =>
  Effect.gen(function*() {
    const name = yield* requiredText(request, "Name", "Name")
    const nameLength = [...name].length
    if (nameLength > maxNameLength) {
      return yield* Effect.fail(
        invalidArgument(`Name must be at most ${maxNameLength} characters, got ${nameLength}`)
      )
    }

    const typeText = yield* optionalText(request, "Type", "Type")
    if (typeText !== undefined && typeText !== "Workflow" && typeText !== "Job") {
      return yield* Effect.fail(invalidArgument(`Type must be Workflow or Job, got "${typeText}"`))
    }
    const type: Emulator.JobType = typeText ?? "Workflow"

    const input = yield* parseInput(request)

    const operation = yield* requiredElement(request, "Operation")
    const tag = type === "Job"
      ? yield* requiredText(operation, "Tag", "Operation/Tag", " when Type is Job")
      : undefined
    if (type === "Workflow") {
      yield* requiredText(operation, "WorkflowIds", "Operation/WorkflowIds", " when Type is Workflow")
    }
    const queueId = yield* optionalText(operation, "QueueId", "Operation/QueueId")

    return { name, type, input, operation, tag, queueId }
  })
