import * as Effect from "effect/Effect"
import * as Crypto from "node:crypto"
import type * as Emulator from "../Emulator.js"
import { type CiError, invalidArgument } from "./response.js"
import type { Entry, JobStore } from "./store.js"
import { parseCiTime } from "./time.js"

type Order = "Asc" | "Desc"

/**
 * The position after the last job of a page.
 *
 * @internal
 */
export interface Cursor {
  readonly order: Order
  readonly creationMillis: number
  readonly sequence: number
}

/**
 * A validated list query. Optional filters are `undefined` when the parameter was absent or empty.
 *
 * @internal
 */
export interface ListQuery {
  readonly size: number
  readonly order: Order
  readonly type: Emulator.JobType | undefined
  readonly states: ReadonlySet<Emulator.JobState> | undefined
  readonly startCreationMillis: number | undefined
  readonly endCreationMillis: number | undefined
  readonly workflowId: string | undefined
  readonly jobId: string | undefined
  readonly name: string | undefined
  readonly cursor: Cursor | undefined
}

/** @internal */
export interface Page {
  readonly jobs: ReadonlyArray<Emulator.Job>
  /** Present only when more jobs match after this page. */
  readonly nextToken: string | undefined
}

const defaultSize = 10
const maxSize = 100

const jobStates: ReadonlyArray<Emulator.JobState> = ["Submitted", "Running", "Success", "Failed", "Pause", "Cancel"]

const tokenPattern = /^[0-9a-f]{32}$/

/**
 * Issues and checks `nextToken` values. A token is 32 lower-case hex digits: the creation time
 * (12 digits), the insertion number (8), the order (1) and an HMAC prefix (11). The HMAC key is
 * made per emulator, so a token that was edited or made up is rejected.
 *
 * @internal
 */
export class PageTokens {
  private readonly key = Crypto.randomBytes(32)

  private mac(payload: string): string {
    return Crypto.createHmac("sha256", this.key).update(payload).digest("hex").slice(0, 11)
  }

  encode(cursor: Cursor): string {
    const payload = cursor.creationMillis.toString(16).padStart(12, "0") +
      cursor.sequence.toString(16).padStart(8, "0") +
      (cursor.order === "Asc" ? "0" : "1")
    return payload + this.mac(payload)
  }

  decode(token: string): Cursor | undefined {
    if (!tokenPattern.test(token)) {
      return undefined
    }
    const payload = token.slice(0, 21)
    const expected = Buffer.from(this.mac(payload))
    if (!Crypto.timingSafeEqual(expected, Buffer.from(token.slice(21)))) {
      return undefined
    }
    return {
      creationMillis: parseInt(payload.slice(0, 12), 16),
      sequence: parseInt(payload.slice(12, 20), 16),
      order: payload[20] === "0" ? "Asc" : "Desc"
    }
  }
}

const parseEnum = <A extends string>(
  name: string,
  value: string | undefined,
  allowed: ReadonlyArray<A>
): Effect.Effect<A | undefined, CiError> => {
  if (value === undefined || (allowed as ReadonlyArray<string>).includes(value)) {
    return Effect.succeed(value as A | undefined)
  }
  return Effect.fail(invalidArgument(`${name} must be ${allowed.join(" or ")}, got "${value}"`))
}

const parseSize = (value: string | undefined): Effect.Effect<number, CiError> => {
  if (value === undefined) {
    return Effect.succeed(defaultSize)
  }
  const size = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN
  if (!(size >= 1 && size <= maxSize)) {
    return Effect.fail(invalidArgument(`size must be an integer from 1 to ${maxSize}, got "${value}"`))
  }
  return Effect.succeed(size)
}

const parseStates = (value: string | undefined): Effect.Effect<ReadonlySet<Emulator.JobState> | undefined, CiError> => {
  if (value === undefined) {
    return Effect.succeed(undefined)
  }
  const items = value.split(",")
  const invalid = items.filter((item) => item !== "All" && !(jobStates as ReadonlyArray<string>).includes(item))
  if (invalid.length > 0) {
    return Effect.fail(
      invalidArgument(
        `states must be All or a comma-separated list of ${jobStates.join(", ")}, got "${value}"`
      )
    )
  }
  return Effect.succeed(items.includes("All") ? undefined : new Set(items as ReadonlyArray<Emulator.JobState>))
}

const parseTime = (name: string, value: string | undefined): Effect.Effect<number | undefined, CiError> => {
  if (value === undefined) {
    return Effect.succeed(undefined)
  }
  const millis = parseCiTime(value)
  if (millis === undefined) {
    return Effect.fail(
      invalidArgument(
        `${name} must have the form %Y-%m-%dT%H:%M:%S%z, such as 2022-02-25T12:00:00+0800, got "${value}"`
      )
    )
  }
  return Effect.succeed(millis)
}

const parseCursor = (
  tokens: PageTokens,
  value: string | undefined,
  order: Order
): Effect.Effect<Cursor | undefined, CiError> => {
  if (value === undefined) {
    return Effect.succeed(undefined)
  }
  const cursor = tokens.decode(value)
  if (cursor === undefined) {
    return Effect.fail(invalidArgument(`nextToken "${value}" is invalid; send the NextToken of the previous page`))
  }
  if (cursor.order !== order) {
    return Effect.fail(
      invalidArgument(`nextToken was issued for orderByTime=${cursor.order}; send the same orderByTime as before`)
    )
  }
  return Effect.succeed(cursor)
}

/**
 * Validates the list parameters. Names are matched exactly (`orderByTime`, not `OrderByTime`),
 * unknown names are ignored, and an empty value counts as absent.
 *
 * @internal
 */
export const parseListQuery = (
  query: ReadonlyArray<readonly [string, string]>,
  tokens: PageTokens
): Effect.Effect<ListQuery, CiError> =>
  Effect.gen(function*() {
    const parameters = new Map(query.filter(([, value]) => value !== ""))
    const parameter = (name: string): string | undefined => parameters.get(name)

    const size = yield* parseSize(parameter("size"))
    const type = yield* parseEnum("type", parameter("type"), ["Workflow", "Job"] as const)
    const order = (yield* parseEnum("orderByTime", parameter("orderByTime"), ["Desc", "Asc"] as const)) ?? "Desc"
    const states = yield* parseStates(parameter("states"))
    const startCreationMillis = yield* parseTime("startCreationTime", parameter("startCreationTime"))
    const endCreationMillis = yield* parseTime("endCreationTime", parameter("endCreationTime"))
    const cursor = yield* parseCursor(tokens, parameter("nextToken"), order)

    return {
      size,
      order,
      type,
      states,
      startCreationMillis,
      endCreationMillis,
      workflowId: parameter("workflowId"),
      jobId: parameter("jobId"),
      name: parameter("name"),
      cursor
    }
  })

const workflowIdsOf = (job: Emulator.Job): ReadonlyArray<string> => {
  const value = job.operation["WorkflowIds"]
  const texts = typeof value === "string"
    ? [value]
    : Array.isArray(value)
    ? value.filter((item) => typeof item === "string")
    : []
  return texts.flatMap((text) => text.split(",").map((id) => id.trim()))
}

const matches = (query: ListQuery, job: Emulator.Job): boolean => {
  // Rendered times have whole seconds, so filters compare whole seconds too.
  const creationMillis = Math.floor(job.creationTime.getTime() / 1000) * 1000
  return (query.type === undefined || job.type === query.type) &&
    (query.states === undefined || query.states.has(job.state)) &&
    (query.startCreationMillis === undefined || creationMillis >= query.startCreationMillis) &&
    (query.endCreationMillis === undefined || creationMillis <= query.endCreationMillis) &&
    (query.workflowId === undefined || workflowIdsOf(job).includes(query.workflowId)) &&
    (query.jobId === undefined || job.jobId === query.jobId) &&
    (query.name === undefined || job.name === query.name)
}

const isAfter = (entry: Entry, cursor: Cursor): boolean => {
  const difference = entry.job.creationTime.getTime() - cursor.creationMillis || entry.sequence - cursor.sequence
  return cursor.order === "Asc" ? difference > 0 : difference < 0
}

/**
 * Returns the page of matching jobs that follows the cursor.
 *
 * @internal
 */
export const listJobs = (store: JobStore, tokens: PageTokens, query: ListQuery): Page => {
  const cursor = query.cursor
  const remaining = store.sorted(query.order).filter((entry) =>
    matches(query, entry.job) && (cursor === undefined || isAfter(entry, cursor))
  )
  const page = remaining.slice(0, query.size)
  const last = page[page.length - 1]

  const nextToken = remaining.length > query.size && last !== undefined
    ? tokens.encode({
      order: query.order,
      creationMillis: last.job.creationTime.getTime(),
      sequence: last.sequence
    })
    : undefined
  return { jobs: page.map((entry) => entry.job), nextToken }
}
