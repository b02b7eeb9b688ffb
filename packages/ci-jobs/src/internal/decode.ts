import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as BatchJob from "../BatchJob.js"
import { JobsDetail } from "./schema.js"
import { isRecord } from "./validate.js"
import { readElement } from "./xmlBinding.js"

const decodeJobsDetail = Schema.decodeUnknownEither(JobsDetail, { errors: "all" })

/**
 * The wire element that contains the echo of the create request. A value in it that does not
 * decode is dropped rather than failing the job, because a caller can write any text there through
 * `jobParam`.
 */
const echoElement = "Operation"

/**
 * Rounds of dropping echoed values before `decodeJob` drops the whole `<Operation>`. Each round
 * drops every value the last decode named, so one round is enough unless dropping a value
 * uncovers another failure.
 */
const maxDropRounds = 3

/**
 * An echoed `<Operation>` value that was left out of a job because it did not decode.
 *
 * @internal
 */
export interface DroppedElement {
  /** The element path, such as `Operation.JobParam.Snapshot.IsCheckBlack`. */
  readonly path: string
  readonly reason: string
}

/**
 * A job read from one `<JobsDetail>`, with the echoed values that were dropped to read it.
 *
 * @internal
 */
export interface DecodedJob {
  readonly job: BatchJob.BatchJob
  readonly dropped: ReadonlyArray<DroppedElement>
}

type Path = ReadonlyArray<PropertyKey>

const formatPath = (path: Path): string => path.map(String).join(".")

/** Names one problem of a `<JobsDetail>` that did not decode, by its element path. */
const describeIssue = (detail: Readonly<Record<PropertyKey, unknown>>, issue: ParseResult.ArrayFormatterIssue) => {
  const [element] = issue.path
  if (element === "JobId") {
    return "JobsDetail has no JobId"
  }
  const jobId = String(detail["JobId"])
  if (element === "State") {
    return `JobsDetail of ${jobId} has no State`
  }
  return `JobsDetail of ${jobId}: ${formatPath(issue.path)} ${issue.message}`
}

/**
 * Returns `value` without the node at `path`. An array or record left empty is removed too, the
 * way the reader leaves out an element without content. A path that is not there changes nothing.
 */
const withoutNode = (value: unknown, path: Path): unknown => {
  if (path.length === 0) {
    return undefined
  }
  const [key, ...rest] = path
  if (Array.isArray(value)) {
    if (typeof key !== "number" || key >= value.length) {
      return value
    }
    const items = value.flatMap((item, index) => {
      if (index !== key) {
        return [item]
      }
      const remaining = withoutNode(item, rest)
      return remaining === undefined ? [] : [remaining]
    })
    return items.length === 0 ? undefined : items
  }
  if (!isRecord(value) || typeof key !== "string" || !Object.hasOwn(value, key)) {
    return value
  }
  // Entries keep their order, which is the order free-form elements are written back in.
  const entries = Object.entries(value).flatMap(([name, child]) => {
    if (name !== key) {
      return [[name, child] as const]
    }
    const remaining = withoutNode(child, rest)
    return remaining === undefined ? [] : [[name, remaining] as const]
  })
  return Object.fromEntries(entries)
}

const isPrefix = (prefix: Path, path: Path): boolean => prefix.every((key, index) => path[index] === key)

/** Orders paths so that a later array index comes first, because dropping an item shifts the ones after it. */
const compareDescending = (left: Path, right: Path): number => {
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const [a, b] = [left[index], right[index]]
    if (a !== b) {
      return typeof a === "number" && typeof b === "number" ? b - a : String(b).localeCompare(String(a))
    }
  }
  return right.length - left.length
}

/**
 * Reads one `<JobsDetail>` element through the `JobsDetail` schema. Only `<JobId>` and `<State>`
 * are required. Everything else CI may leave out, and elements the schema does not know are
 * ignored.
 *
 * A CI field that does not decode fails the job with its element path. A value inside the echoed
 * `<Operation>` that does not decode is dropped, with its path in `dropped`, and the rest of the
 * operation is kept. After {@link maxDropRounds} rounds of that the whole operation is dropped.
 *
 * @internal
 */
export const decodeJob = (detail: CiXml.XmlElement): Either.Either<DecodedJob, string> => {
  let elements = readElement(JobsDetail.ast, detail)
  const dropped: Array<DroppedElement> = []
  for (let round = 0;; round++) {
    const result = decodeJobsDetail(elements)
    if (Either.isRight(result)) {
      return Either.right({ job: result.right, dropped })
    }

    const issues = ParseResult.ArrayFormatter.formatErrorSync(result.left)
    const ciIssue = issues.find((issue) => issue.path[0] !== echoElement)
    if (ciIssue !== undefined) {
      return Either.left(describeIssue(elements, ciIssue))
    }

    // An optional element fails as a union with undefined, which adds an issue at the element and
    // at each parent element. Only the deepest paths name the values to drop, each once with its
    // first reason.
    const failed = new Map<string, { readonly path: Path; readonly reason: string }>()
    for (const issue of issues) {
      const key = formatPath(issue.path)
      const isParent = issues.some((other) => other.path.length > issue.path.length && isPrefix(issue.path, other.path))
      if (!isParent && !failed.has(key)) {
        failed.set(key, { path: issue.path, reason: issue.message })
      }
    }
    const drops = round < maxDropRounds ?
      [...failed.values()] :
      [{ path: [echoElement], reason: `still did not decode after dropping values ${maxDropRounds} times` }]
    for (const { path, reason } of drops) {
      dropped.push({ path: formatPath(path), reason })
    }
    const paths = drops.map(({ path }) => path).sort(compareDescending)
    for (const path of paths) {
      elements = withoutNode(elements, path) as Record<PropertyKey, unknown>
    }
  }
}

/**
 * Logs each echoed value that was dropped to read a job, at debug level.
 *
 * @internal
 */
export const logDropped = (decoded: DecodedJob, requestId: string | undefined): Effect.Effect<void> =>
  Effect.forEach(
    decoded.dropped,
    ({ path, reason }) =>
      Effect.logDebug("Dropped an echoed Operation value that does not decode").pipe(
        Effect.annotateLogs({ jobId: decoded.job.jobId, element: path, reason, requestId })
      ),
    { discard: true }
  )

/** @internal */
export const parseResponse = (body: string): Either.Either<CiXml.XmlElement, string> =>
  CiXml.parse(body).pipe(
    Either.flatMap((document) => {
      const response = CiXml.root(document, "Response")
      return response === undefined ?
        Either.left(`expected a <Response> document, got <${Object.keys(document).join(", ")}>`) :
        Either.right(response)
    })
  )
