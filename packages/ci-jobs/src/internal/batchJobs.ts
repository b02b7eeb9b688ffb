import * as CiClient from "@effect-cos/http/CiClient"
import { CiDecodeError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { BatchJobNotFound, jobIdPattern } from "../BatchJob.js"
import { decodeJob, parseResponse } from "./decode.js"

const resource = "inventorytriggerjob"

/** @internal */
export const validateJobId = (jobId: string): Either.Either<string, CiInvalidInput> => {
  if (typeof jobId !== "string") {
    return Either.left(new CiInvalidInput({ field: "jobId", value: String(jobId), reason: "must be a string" }))
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
        bodyPreview: response.body.length <= 256 ? response.body : `${response.body.slice(0, 256)}…`
      })
    )
  )

const annotate = (client: CiClient.CiClient.Service, jobId: string) =>
  Effect.annotateCurrentSpan({ "ci.bucket": client.bucket, "ci.job_id": jobId })

/** @internal */
export const cancel = Effect.fn("BatchJobs.cancel")(function*(jobId: string) {
  const client = yield* CiClient.CiClient
  yield* annotate(client, jobId)
  const id = yield* validateJobId(jobId)

  // CI answers with 200 and an empty body; the client has already turned any error into a typed
  // failure, so there is nothing to parse here.
  const response = yield* client.send({ method: "PUT", path: [resource, id], query: { cancel: "" } })
  return { requestId: response.requestId }
})

/** @internal */
export const describe = Effect.fn("BatchJobs.describe")(function*(jobId: string) {
  const client = yield* CiClient.CiClient
  yield* annotate(client, jobId)
  const id = yield* validateJobId(jobId)

  const response = yield* client.send({ method: "GET", path: [resource, id] })
  const result = yield* decodeBody(response, (document) => {
    const missing = CiXml.texts(document, "NonExistJobIds").filter((text) => text !== "")
    if (missing.length > 0) {
      return Either.right(undefined)
    }
    const details = CiXml.elements(document, "JobsDetail")
    if (details.length !== 1) {
      return Either.left(`expected one JobsDetail, got ${details.length}`)
    }
    return decodeJob(details[0])
  })

  if (result === undefined) {
    return yield* new BatchJobNotFound({ jobId: id, requestId: response.requestId })
  }
  return result
})
