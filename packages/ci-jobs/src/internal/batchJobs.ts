import * as CiClient from "@effect-cos/http/CiClient"
import { CiDecodeError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import { type BatchJob, BatchJobNotFound, BatchJobWaitTimeout, isFinal, jobIdPattern } from "../BatchJob.js"
import type * as BatchJobs from "../BatchJobs.js"
import { type DecodedJob, decodeJob, logDropped, parseResponse } from "./decode.js"
import { describeValue, invalid, isRecord, validateInteger } from "./validate.js"

/** @internal */
export const resource = "inventorytriggerjob"

/** @internal */
export const validateJobId = (jobId: unknown): Either.Either<string, CiInvalidInput> => {
  if (typeof jobId !== "string") {
    return invalid("jobId", describeValue(jobId), "must be a string")
  }
  if (!jobIdPattern.test(jobId)) {
    return Either.left(
      new CiInvalidInput({
        field: "jobId",
        value: jobId,
        reason: jobId === "" ?
          "must not be empty" :
          "must be 1 to 128 characters, each a letter, a digit or \"-\""
      })
    )
  }
  return Either.right(jobId)
}

/**
 * Reads a successful response body, turning anything unreadable into a `CiDecodeError` that keeps
 * the status and request id.
 *
 * @internal
 */
export const decodeBody = <A>(
  response: CiClient.CiResponse,
  decode: (document: CiXml.XmlElement) => Either.Either<A, string>
): Either.Either<A, CiDecodeError> =>
  parseResponse(response.body).pipe(
    Either.flatMap(decode),
    Either.mapLeft((reason) =>
      new CiDecodeError({
        status: response.status,
        requestId: response.requestId,
        reason,
        bodyPreview: response.previewBody()
      })
    )
  )

// A job id of the wrong type is left off the span, because an exporter may turn it into text.
const annotate = (client: CiClient.CiClient.Service, jobId: unknown) =>
  Effect.annotateCurrentSpan({
    "ci.bucket": client.bucket,
    "ci.region": client.region,
    ...(typeof jobId === "string" ? { "ci.job_id": jobId } : {})
  })

/** Checks that an options argument is absent or an object, so that reading its fields cannot throw. */
const validateOptions = <A extends object>(options: A | undefined): Either.Either<Partial<A>, CiInvalidInput> => {
  if (options === undefined) {
    return Either.right({})
  }
  return isRecord(options) ? Either.right(options) : invalid("options", describeValue(options), "must be an object")
}

/** Checks an optional callback, which would otherwise fail as a defect only when it is called. */
const validateCallback = (field: string, value: unknown): Either.Either<void, CiInvalidInput> =>
  value === undefined || typeof value === "function" ?
    Either.void :
    invalid(field, describeValue(value), "must be a function")

/** @internal */
export const cancel = Effect.fn("BatchJobs.cancel")(function*(jobId: string) {
  const client = yield* CiClient.CiClient
  yield* annotate(client, jobId)
  const id = yield* validateJobId(jobId)

  // CI returns 200 and an empty body, and the client has already turned any error into a typed
  // failure, so there is nothing to parse here.
  const attempts = yield* Ref.make(0)
  const result = yield* client.send(
    { method: "PUT", path: [resource, id], query: { cancel: "" } },
    { onAttempt: (attempt) => Ref.set(attempts, attempt) }
  ).pipe(Effect.either)
  if (Either.isRight(result)) {
    return { requestId: result.right.requestId }
  }

  // A retry follows a timeout, a reset or a 5xx, after which an earlier attempt may already have
  // cancelled the job. CI then rejects the retry because the job has finished. Ask for the job's
  // state before reporting a failure for a job that is in fact cancelled.
  const error = result.left
  const retried = (yield* Ref.get(attempts)) > 1
  if (retried && error._tag === "CiServiceError" && error.status >= 400 && error.status < 500) {
    const job = yield* Effect.option(describe(id))
    if (Option.isSome(job) && job.value.state === "Cancel") {
      yield* Effect.logDebug("A retried cancel was rejected, but an earlier attempt had cancelled the job").pipe(
        Effect.annotateLogs({ jobId: id, code: error.code, requestId: error.requestId })
      )
      return { requestId: error.requestId }
    }
  }
  return yield* Effect.fail(error)
})

/**
 * Returns the request id of a successful response: the header's first, else the body's
 * `<RequestId>`.
 *
 * @internal
 */
export const responseRequestId = (response: CiClient.CiResponse, document: CiXml.XmlElement): string | undefined => {
  if (response.requestId !== undefined) {
    return response.requestId
  }
  const bodyRequestId = CiXml.text(document, "RequestId")
  return bodyRequestId === "" ? undefined : bodyRequestId
}

/**
 * Adds the request id of the response a job was read from.
 *
 * @internal
 */
export const withRequestId = (job: BatchJob, response: CiClient.CiResponse, document: CiXml.XmlElement): BatchJob => {
  const requestId = responseRequestId(response, document)
  return requestId === undefined ? job : { ...job, requestId }
}

/** A describe answer that lists the id under NonExistJobIds, with the request id to report. */
interface NotFound {
  readonly notFound: string | undefined
}

/** @internal */
export const describe = Effect.fn("BatchJobs.describe")(function*(jobId: string) {
  const client = yield* CiClient.CiClient
  yield* annotate(client, jobId)
  const id = yield* validateJobId(jobId)

  const response = yield* client.send({ method: "GET", path: [resource, id] })
  const result = yield* decodeBody(response, (document): Either.Either<DecodedJob | NotFound, string> => {
    const missing = CiXml.texts(document, "NonExistJobIds").filter((text) => text !== "")
    const details = CiXml.elements(document, "JobsDetail")
    // Only this id under NonExistJobIds means not found. Other ids there are about other jobs.
    if (missing.includes(id)) {
      return details.length === 0 ?
        Either.right({ notFound: responseRequestId(response, document) }) :
        Either.left(`job ${id} is under both NonExistJobIds and JobsDetail`)
    }
    if (details.length === 0 && missing.length > 0) {
      return Either.left(`asked for job ${id}, got NonExistJobIds ${missing.join(", ")}`)
    }
    if (details.length !== 1) {
      return Either.left(`expected one JobsDetail, got ${details.length}`)
    }
    // A job with another id would make awaitJob and the cancel check watch the wrong job.
    return decodeJob(details[0]).pipe(
      Either.filterOrLeft(
        ({ job }) => job.jobId === id,
        ({ job }) => `asked for job ${id}, got JobsDetail of ${job.jobId}`
      ),
      Either.map((decoded) => ({ ...decoded, job: withRequestId(decoded.job, response, document) }))
    )
  })

  if ("notFound" in result) {
    return yield* new BatchJobNotFound({ jobId: id, requestId: result.notFound })
  }
  yield* logDropped(result, result.job.requestId)
  return result.job
})

/** @internal */
export const defaultAwaitSchedule = Schedule.spaced("5 seconds").pipe(Schedule.upTo("30 minutes"))

/** @internal */
export const awaitJob = Effect.fn("BatchJobs.awaitJob")(function*(jobId: string, options?: BatchJobs.AwaitOptions) {
  const client = yield* CiClient.CiClient
  yield* annotate(client, jobId)
  const id = yield* validateJobId(jobId)
  const checked = yield* validateOptions(options)
  const schedule = checked.schedule ?? defaultAwaitSchedule
  if (!Schedule.isSchedule(schedule)) {
    return yield* invalid("schedule", describeValue(schedule), "must be a Schedule")
  }
  yield* validateCallback("onPoll", checked.onPoll)

  // The driver sleeps between steps on the Effect clock and reports when the schedule is done.
  const driver = yield* Schedule.driver(schedule)
  const onPoll = checked.onPoll ?? (() => Effect.void)
  let polls = 1
  let job = yield* describe(id)
  yield* onPoll(job)
  while (!isFinal(job.state)) {
    const next = yield* Effect.either(driver.next(job))
    if (Either.isLeft(next)) {
      yield* Effect.annotateCurrentSpan("ci.polls", polls)
      return yield* new BatchJobWaitTimeout({ jobId: id, lastState: job.state })
    }
    polls += 1
    job = yield* describe(id)
    yield* onPoll(job)
  }
  yield* Effect.annotateCurrentSpan("ci.polls", polls)
  return job
})

const maxConcurrency = 64

/** @internal */
export const cancelMany = Effect.fn("BatchJobs.cancelMany")(function*(
  jobIds: Iterable<string>,
  options?: BatchJobs.CancelManyOptions
) {
  const client = yield* CiClient.CiClient
  yield* Effect.annotateCurrentSpan({ "ci.bucket": client.bucket, "ci.region": client.region })

  // A string is iterable too, and would be cancelled one character at a time.
  const isIterable = typeof (jobIds as Partial<Iterable<string>> | null)?.[Symbol.iterator] === "function"
  if (typeof jobIds === "string" || !isIterable) {
    return yield* invalid("jobIds", describeValue(jobIds), "must be an iterable of job ids, such as an array")
  }
  const checked = yield* validateOptions(options)
  const concurrency = checked.concurrency === undefined ?
    4 :
    yield* validateInteger("concurrency", checked.concurrency, 1, maxConcurrency)
  yield* validateCallback("onOutcome", checked.onOutcome)

  const unique: Array<string> = []
  const seen = new Set<string>()
  let index = 0
  for (const jobId of jobIds) {
    const checked = validateJobId(jobId)
    if (Either.isLeft(checked)) {
      return yield* new CiInvalidInput({
        field: `jobIds[${index}]`,
        value: checked.left.value,
        reason: checked.left.reason
      })
    }
    if (!seen.has(checked.right)) {
      seen.add(checked.right)
      unique.push(checked.right)
    }
    index += 1
  }
  yield* Effect.annotateCurrentSpan("ci.job_count", unique.length)

  const onOutcome = checked.onOutcome ?? (() => Effect.void)
  return yield* Effect.forEach(
    unique,
    (id): Effect.Effect<BatchJobs.CancelOutcome, never, CiClient.CiClient> =>
      Effect.gen(function*() {
        const outcome: BatchJobs.CancelOutcome = { jobId: id, result: yield* Effect.either(cancel(id)) }
        yield* onOutcome(outcome)
        return outcome
      }),
    { concurrency }
  )
})
