import * as CiClient from "@effect-cos/http/CiClient"
import type { CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as BatchJob from "../BatchJob.js"
import type * as BatchJobs from "../BatchJobs.js"
import { decodeBody, resource, withRequestId } from "./batchJobs.js"
import { decodeJob, logDropped } from "./decode.js"
import { validateCreateRequest } from "./requestModel.js"
import { CreateRequest } from "./schema.js"
import { writeElement } from "./xmlBinding.js"

// Validation has checked every field the schema encodes, so an encoding failure is a defect.
const encodeRequest = Schema.encodeSync(CreateRequest)

/**
 * Checks every field of a create request and writes its `<Request>` body through the
 * `CreateRequest` schema, in the schema's element order.
 *
 * @internal
 */
export const encodeCreateRequest = (request: BatchJobs.CreateJobRequest): Either.Either<string, CiInvalidInput> =>
  Either.map(
    validateCreateRequest(request),
    (model) => writeElement("Request", CreateRequest.ast, encodeRequest(model))
  )

/** @internal */
export const create = Effect.fn("BatchJobs.create")(function*(request: BatchJobs.CreateJobRequest) {
  const client = yield* CiClient.CiClient
  yield* Effect.annotateCurrentSpan({ "ci.bucket": client.bucket, "ci.region": client.region })
  const body = yield* encodeCreateRequest(request)

  const response = yield* client.send({
    method: "POST",
    path: [resource],
    body: { contentType: "application/xml", content: body },
    // CI has no idempotency key for create, so a retry after a timeout or 5xx could start a second job.
    idempotent: false
  })
  const decoded = yield* decodeBody(response, (document) => {
    const details = CiXml.elements(document, "JobsDetail")
    if (details.length !== 1) {
      return Either.left(`expected one JobsDetail, got ${details.length}`)
    }
    return Either.map(decodeJob(details[0]), (read) => ({ ...read, job: withRequestId(read.job, response, document) }))
  })
  const job: BatchJob.BatchJob = decoded.job
  yield* Effect.annotateCurrentSpan("ci.job_id", job.jobId)
  yield* logDropped(decoded, job.requestId)
  return job
})
