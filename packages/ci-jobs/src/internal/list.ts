import * as CiClient from "@effect-cos/http/CiClient"
import { CiDecodeError, type CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as BatchJob from "../BatchJob.js"
import { KnownJobState } from "../BatchJob.js"
import type * as BatchJobs from "../BatchJobs.js"
import { decodeBody, resource, validateJobId } from "./batchJobs.js"
import { type DecodedJob, decodeJob, logDropped } from "./decode.js"
import {
  describeValue,
  invalid,
  isRecord,
  validateInteger,
  validateOneOf,
  validateText,
  validateTime,
  validateTimeOrder
} from "./validate.js"

const maxPageSize = 100

const stateFilters: ReadonlyArray<BatchJob.KnownJobState | "All"> = [...KnownJobState.literals, "All"]

const validateStates = (states: unknown): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (!Array.isArray(states) || states.length === 0) {
      const described = Array.isArray(states) ? "[]" : describeValue(states)
      return yield* invalid("states", described, "must be a non-empty array of job states")
    }
    const unique: Array<string> = []
    for (const [index, state] of states.entries()) {
      const checked = yield* validateOneOf(`states[${index}]`, state, stateFilters)
      if (!unique.includes(checked)) {
        unique.push(checked)
      }
    }
    if (unique.includes("All") && unique.length > 1) {
      return yield* invalid("states", unique.join(","), "\"All\" cannot be combined with other states")
    }
    return unique.join(",")
  })

/**
 * Checks the list options and turns the given ones into query parameters, in the order of CI's
 * documentation. Options that are absent are not sent, and empty strings are rejected.
 *
 * @internal
 */
export const buildListQuery = (options: unknown): Either.Either<Record<string, string>, CiInvalidInput> =>
  Either.gen(function*() {
    if (options === undefined) {
      return {}
    }
    if (!isRecord(options)) {
      return yield* invalid("options", describeValue(options), "must be an object")
    }
    const query: Record<string, string> = {}
    if (options.nextToken !== undefined) {
      query.nextToken = yield* validateText("nextToken", options.nextToken)
    }
    if (options.size !== undefined) {
      query.size = String(yield* validateInteger("size", options.size, 1, maxPageSize))
    }
    if (options.type !== undefined) {
      query.type = yield* validateOneOf("type", options.type, ["Workflow", "Job"])
    }
    if (options.orderByTime !== undefined) {
      query.orderByTime = yield* validateOneOf("orderByTime", options.orderByTime, ["Desc", "Asc"])
    }
    if (options.states !== undefined) {
      query.states = yield* validateStates(options.states)
    }
    if (options.startCreationTime !== undefined) {
      query.startCreationTime = yield* validateTime("startCreationTime", options.startCreationTime)
    }
    if (options.endCreationTime !== undefined) {
      query.endCreationTime = yield* validateTime("endCreationTime", options.endCreationTime)
    }
    yield* validateTimeOrder(
      { start: "startCreationTime", end: "endCreationTime" },
      options.startCreationTime,
      options.endCreationTime
    )
    if (options.workflowId !== undefined) {
      query.workflowId = yield* validateText("workflowId", options.workflowId)
    }
    if (options.jobId !== undefined) {
      query.jobId = yield* validateJobId(options.jobId)
    }
    if (options.name !== undefined) {
      query.name = yield* validateText("name", options.name)
    }
    return query
  })

interface DecodedPage {
  readonly jobs: ReadonlyArray<DecodedJob>
  readonly nextToken: string | undefined
  readonly requestId: string | undefined
  readonly skipped: number
}

/**
 * Reads a list response: every `<JobsDetail>` in document order, whether there are none, one or
 * many, and the `<NextToken>`, where an empty element means there is no next page.
 *
 * @internal
 */
export const decodePage = (document: CiXml.XmlElement): Either.Either<DecodedPage, string> => {
  const details = CiXml.elements(document, "JobsDetail")
  // An empty <JobsDetail/> describes no job, so it is skipped rather than failing the page.
  const filled = details.filter((detail) => Object.keys(detail).length > 0)
  const nextToken = CiXml.text(document, "NextToken")
  const requestId = CiXml.text(document, "RequestId")

  return Either.map(Either.all(filled.map(decodeJob)), (jobs) => ({
    jobs,
    nextToken: nextToken === "" ? undefined : nextToken,
    requestId: requestId === "" ? undefined : requestId,
    skipped: details.length - filled.length
  }))
}

/**
 * Fetches one page and keeps the response, which the stream needs to report a repeated token.
 *
 * @internal
 */
export const fetchPage = Effect.fn("BatchJobs.list")(function*(options: BatchJobs.ListOptions = {}) {
  const client = yield* CiClient.CiClient
  yield* Effect.annotateCurrentSpan({ "ci.bucket": client.bucket, "ci.region": client.region })
  const query = yield* buildListQuery(options)
  if (query.jobId !== undefined) {
    yield* Effect.annotateCurrentSpan("ci.job_id", query.jobId)
  }

  const response = yield* client.send({ method: "GET", path: [resource], query })
  const decoded = yield* decodeBody(response, decodePage)
  const requestId = response.requestId ?? decoded.requestId
  if (decoded.skipped > 0) {
    yield* Effect.logDebug("Skipped empty JobsDetail elements in a list response").pipe(
      Effect.annotateLogs({ skipped: decoded.skipped, requestId })
    )
  }
  yield* Effect.forEach(decoded.jobs, (job) => logDropped(job, requestId), { discard: true })

  const page: BatchJobs.ListPage = {
    jobs: decoded.jobs.map(({ job }) => job),
    nextToken: decoded.nextToken,
    requestId
  }
  return { page, response }
})

/** @internal */
export const list = (options?: BatchJobs.ListOptions) => Effect.map(fetchPage(options), ({ page }) => page)

interface PagingState {
  readonly token: string | undefined
  readonly emptyPages: number
  /** Pages with jobs in a row, empty pages aside, on which every job had been listed already. */
  readonly repeatedPages: number
}

/**
 * How many empty pages in a row `listAll` follows before it gives up. Empty pages with a token are
 * possible when the server filters after paging; an endless run of them is a server fault.
 */
const maxEmptyPages = 100

/**
 * How many pages in a row `listAll` follows when each has a new token but only jobs it has
 * listed already. A list that changes while it is read repeats the jobs that new ones push onto
 * the next page, which seldom fill three pages in a row.
 */
// NOTE: with `size` 1 or 2 on a bucket where jobs are created faster than pages are read, a real
// listing could repeat three pages in a row and fail here.
const maxRepeatedPages = 3

/** @internal */
export const listPages = (
  options: BatchJobs.ListOptions = {}
): Stream.Stream<BatchJobs.ListPage, BatchJobs.ListError, CiClient.CiClient> =>
  Stream.unwrap(
    Effect.gen(function*() {
      // Every option is checked before the first page is requested.
      yield* buildListQuery(options)

      // Every token sent so far in this run. A server that hands one back again, right away or
      // after a cycle of others, would keep the stream paging forever.
      const sentTokens = new Set<string>()
      // Every job id listed so far in this run. A server can also hand out fresh tokens forever
      // while it sends the same jobs again.
      const seenJobIds = new Set<string>()
      const start: PagingState = { token: options.nextToken, emptyPages: 0, repeatedPages: 0 }
      return Stream.paginateEffect(start, ({ emptyPages, repeatedPages, token }) =>
        Effect.gen(function*() {
          if (token !== undefined) {
            sentTokens.add(token)
          }
          const { page, response } = yield* fetchPage({ ...options, nextToken: token })
          const repeated = page.jobs.length > 0 && page.jobs.every((job) => seenJobIds.has(job.jobId))
          for (const job of page.jobs) {
            seenJobIds.add(job.jobId)
          }

          // Only a missing token ends the list: a server that filters pages may send an empty
          // page that still has a next one.
          if (page.nextToken === undefined) {
            return [page, Option.none()] as const
          }

          const empty = page.jobs.length === 0 ? emptyPages + 1 : 0
          // An empty page neither counts nor breaks a run of repeated pages, so that empty pages
          // in between cannot hide one.
          let repeats = repeatedPages
          if (page.jobs.length > 0) {
            repeats = repeated ? repeatedPages + 1 : 0
          }
          const endlessPaging = (reason: string) =>
            new CiDecodeError({
              status: response.status,
              requestId: page.requestId,
              reason,
              bodyPreview: response.previewBody()
            })
          if (page.nextToken === token) {
            return yield* endlessPaging(
              `CI answered nextToken ${JSON.stringify(token)} with the same NextToken, so paging would never end`
            )
          }
          if (sentTokens.has(page.nextToken)) {
            return yield* endlessPaging(
              `CI sent NextToken ${JSON.stringify(page.nextToken)} again after later pages, so paging would never end`
            )
          }
          if (empty >= maxEmptyPages) {
            return yield* endlessPaging(`CI sent ${maxEmptyPages} empty pages in a row, each with a new NextToken`)
          }
          if (repeats >= maxRepeatedPages) {
            return yield* endlessPaging(
              `CI sent ${maxRepeatedPages} pages in a row, each with a new NextToken, ` +
                "whose jobs had all been listed already, so paging would never end"
            )
          }
          const next: PagingState = { token: page.nextToken, emptyPages: empty, repeatedPages: repeats }
          return [page, Option.some(next)] as const
        }))
    })
  ).pipe(Stream.withSpan("BatchJobs.listPages"))

/** @internal */
export const listAll = (
  options: BatchJobs.ListOptions & { readonly limit?: number | undefined } = {}
): Stream.Stream<BatchJob.BatchJob, BatchJobs.ListError, CiClient.CiClient> =>
  Stream.unwrap(
    Effect.gen(function*() {
      const client = yield* CiClient.CiClient
      yield* Effect.annotateCurrentSpan({ "ci.bucket": client.bucket, "ci.region": client.region })
      // Destructuring would throw for null, and would read a number or a function as no options.
      if (!isRecord(options as unknown)) {
        return yield* invalid("options", describeValue(options), "must be an object")
      }
      const { limit, ...listOptions } = options
      if (limit !== undefined) {
        yield* validateInteger("limit", limit, 1, Number.MAX_SAFE_INTEGER)
      }

      const jobs = listPages(listOptions).pipe(Stream.mapConcat((page) => page.jobs))
      return limit === undefined ? jobs : Stream.take(jobs, limit)
    })
  ).pipe(Stream.withSpan("BatchJobs.listAll"))
