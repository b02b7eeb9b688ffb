import * as CiXml from "@effect-cos/http/CiXml"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as BatchJob from "../BatchJob.js"
import { JobsDetail } from "./schema.js"
import { readElement } from "./xmlBinding.js"

const decodeJobsDetail = Schema.decodeUnknownEither(JobsDetail)

/** Names the first problem of a `<JobsDetail>` that did not decode, by its element path. */
const describeFailure = (detail: Readonly<Record<PropertyKey, unknown>>, error: ParseResult.ParseError): string => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  const [element] = issue.path
  if (element === "JobId") {
    return "JobsDetail has no JobId"
  }
  const jobId = String(detail["JobId"])
  if (element === "State") {
    return `JobsDetail of ${jobId} has no State`
  }
  return `JobsDetail of ${jobId}: ${issue.path.map(String).join(".")} ${issue.message}`
}

/**
 * Reads one `<JobsDetail>` element through the `JobsDetail` schema. Only `<JobId>` and `<State>`
 * are required. Everything else CI may leave out, and elements the schema does not know are
 * ignored.
 *
 * @internal
 */
export const decodeJob = (detail: CiXml.XmlElement): Either.Either<BatchJob.BatchJob, string> => {
  const elements = readElement(JobsDetail.ast, detail)
  return Either.mapLeft(decodeJobsDetail(elements), (error) => describeFailure(elements, error))
}

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
