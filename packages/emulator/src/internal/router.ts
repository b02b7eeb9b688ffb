import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Crypto from "node:crypto"
import { parseCreateRequest } from "./jobRequest.js"
import type { PageTokens } from "./list.js"
import { listJobs, parseListQuery } from "./list.js"
import { CiError, invalidArgument, type Success } from "./response.js"
import type { JobStore } from "./store.js"
import type { Target } from "./target.js"
import { decodeUtf8, element, parseDocument, renderJobsDetail, textElement } from "./xml.js"

/**
 * The parts of a request that a route handler reads.
 *
 * @internal
 */
export interface RouteRequest {
  readonly method: string
  readonly target: Target
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
  readonly requestId: string
}

/** @internal */
export interface RouteContext {
  readonly store: JobStore
  readonly tokens: PageTokens
}

const collection = "inventorytriggerjob"

const xmlResponse = (requestId: string, content: string): Success => ({
  status: 200,
  body: element("Response", textElement("RequestId", requestId) + content)
})

const methodNotAllowed = (method: string, allowed: ReadonlyArray<string>): CiError =>
  new CiError({
    status: 405,
    code: "MethodNotAllowed",
    message: `The method ${method} is not allowed on this resource; use ${allowed.join(" or ")}.`,
    headers: { Allow: allowed.join(", ") }
  })

const create = (context: RouteContext, request: RouteRequest): Effect.Effect<Success, CiError> =>
  Effect.gen(function*() {
    if (request.body.length === 0) {
      return yield* Effect.fail(
        new CiError({
          status: 400,
          code: "MissingContent",
          message: "The request body is empty; send a <Request> document."
        })
      )
    }

    const contentMd5 = request.headers["content-md5"]
    if (contentMd5 !== undefined) {
      const actual = Crypto.createHash("md5").update(request.body).digest("base64")
      if (contentMd5 !== actual) {
        return yield* Effect.fail(
          new CiError({
            status: 400,
            code: "InvalidContent",
            message: `Content-MD5 "${contentMd5}" does not match the body, whose MD5 is "${actual}".`
          })
        )
      }
    }

    const document = Either.flatMap(decodeUtf8(request.body), parseDocument)
    if (Either.isLeft(document)) {
      return yield* Effect.fail(
        new CiError({ status: 400, code: "InvalidContent", message: `The body is not valid XML: ${document.left}.` })
      )
    }
    if (document.right.root !== "Request") {
      return yield* Effect.fail(
        new CiError({
          status: 400,
          code: "InvalidContent",
          message: `The root element must be Request, got ${document.right.root}.`
        })
      )
    }

    const fields = yield* parseCreateRequest(document.right.children)
    const job = context.store.create(fields)
    return xmlResponse(request.requestId, renderJobsDetail(job))
  })

const describe = (context: RouteContext, request: RouteRequest, jobId: string): Success => {
  const job = context.store.get(jobId)
  return xmlResponse(
    request.requestId,
    job === undefined ? textElement("NonExistJobIds", jobId) : renderJobsDetail(job)
  )
}

const list = (context: RouteContext, request: RouteRequest): Effect.Effect<Success, CiError> =>
  Effect.map(parseListQuery(request.target.query, context.tokens), (query) => {
    const page = listJobs(context.store, context.tokens, query)
    const jobs = page.jobs.map(renderJobsDetail).join("")
    const nextToken = page.nextToken === undefined ? "" : textElement("NextToken", page.nextToken)
    return xmlResponse(request.requestId, jobs + nextToken)
  })

const cancel = (context: RouteContext, jobId: string): Effect.Effect<Success, CiError> => {
  const outcome = context.store.cancel(jobId)
  switch (outcome._tag) {
    case "NotFound":
      return Effect.fail(
        new CiError({ status: 400, code: "ResourceNotFound", message: `The job "${jobId}" does not exist.` })
      )
    case "Finished":
      return Effect.fail(invalidArgument(`The job "${jobId}" is already finished in state ${outcome.job.state}.`))
    case "Cancelled":
      return Effect.succeed({ status: 200, body: "" })
  }
}

/**
 * Dispatches an authenticated request to its operation. Other paths get 400 InvalidArgument and
 * other methods on the two known paths get 405 MethodNotAllowed with an `Allow` header.
 *
 * @internal
 */
export const route = (context: RouteContext, request: RouteRequest): Effect.Effect<Success, CiError> => {
  const { method, target } = request
  const [first, jobId, ...rest] = target.segments

  if (first !== collection || rest.length > 0) {
    return Effect.fail(
      invalidArgument(`The path ${target.path} is not a batch-job resource; the emulator serves /${collection} only.`)
    )
  }

  if (jobId === undefined) {
    switch (method) {
      case "POST":
        return create(context, request)
      case "GET":
        return list(context, request)
      default:
        return Effect.fail(methodNotAllowed(method, ["GET", "POST"]))
    }
  }

  if (jobId === "") {
    return Effect.fail(invalidArgument(`The job id in the path ${target.path} is empty.`))
  }
  switch (method) {
    case "GET":
      return Effect.succeed(describe(context, request, jobId))
    case "PUT":
      return target.query.some(([name]) => name === "cancel")
        ? cancel(context, jobId)
        : Effect.fail(
          invalidArgument("A PUT on a job must carry the cancel sub-resource: PUT /inventorytriggerjob/<jobId>?cancel.")
        )
    default:
      return Effect.fail(methodNotAllowed(method, ["GET", "PUT"]))
  }
}
