import * as CiClient from "@effect-cos/http/CiClient"
import type { CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as BatchJob from "../BatchJob.js"
import type * as BatchJobs from "../BatchJobs.js"
import { decodeBody, resource } from "./batchJobs.js"
import { decodeJob } from "./decode.js"
import { parentElement, textElement } from "./requestXml.js"
import {
  invalid,
  isRecord,
  validateInteger,
  validateOptionalXmlText,
  validateTime,
  validateTimeOrder,
  validateXmlText
} from "./validate.js"

const maxNameLength = 128

// Deep enough for any JobParam block CI documents, and it stops a cyclic record.
const maxJobParamDepth = 16

// ASCII-only XML names: enough for every CI element, and nothing that could close or open a tag.
const elementNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/

const inputElements = [
  ["manifest", "Manifest"],
  ["urlFile", "UrlFile"],
  ["prefix", "Prefix"],
  ["object", "Object"]
] as const

const validateName = (name: unknown): Either.Either<string, CiInvalidInput> =>
  Either.flatMap(validateXmlText("name", name), (text) => {
    const length = [...text].length
    return length <= maxNameLength ?
      Either.right(text) :
      invalid("name", text, `must be 1 to ${maxNameLength} characters, got ${length}`)
  })

const encodeInput = (input: unknown): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (!isRecord(input)) {
      return yield* invalid("input", String(input), "must be an object with one of manifest, urlFile, prefix or object")
    }
    const given = inputElements.filter(([field]) => input[field] !== undefined)
    if (given.length !== 1) {
      return yield* invalid(
        "input",
        given.map(([field]) => field).join(","),
        "must set exactly one of manifest, urlFile, prefix and object"
      )
    }
    const [field, elementName] = given[0]
    const value = yield* validateXmlText(`input.${field}`, input[field])
    return parentElement("Input", [textElement(elementName, value)])
  })

const encodeTimeInterval = (interval: unknown): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (interval === undefined) {
      return ""
    }
    if (!isRecord(interval)) {
      return yield* invalid("timeInterval", String(interval), "must be an object with start and/or end")
    }
    const start = interval.start === undefined ? undefined : yield* validateTime("timeInterval.start", interval.start)
    const end = interval.end === undefined ? undefined : yield* validateTime("timeInterval.end", interval.end)
    yield* validateTimeOrder({ start: "timeInterval.start", end: "timeInterval.end" }, interval.start, interval.end)
    return parentElement("TimeInterval", [textElement("Start", start), textElement("End", end)])
  })

/**
 * Writes the caller's extra `JobParam` children: text, nested records, and arrays as repeated
 * elements. Empty values are rejected, because they would become empty elements and how CI reads
 * those is not documented.
 */
const encodeJobParamValue = (
  path: string,
  name: string,
  value: unknown,
  depth: number
): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (depth > maxJobParamDepth) {
      return yield* invalid(path, "[nested]", `must not nest deeper than ${maxJobParamDepth} levels`)
    }
    if (typeof value === "string") {
      return textElement(name, yield* validateXmlText(path, value))
    }
    if (Array.isArray(value)) {
      if (value.length === 0) {
        return yield* invalid(path, "[]", "must not be an empty array; leave the element out instead")
      }
      const items: Array<string> = []
      for (const [index, item] of value.entries()) {
        if (Array.isArray(item)) {
          return yield* invalid(`${path}[${index}]`, "[array]", "must be text or an object, not an array")
        }
        items.push(yield* encodeJobParamValue(`${path}[${index}]`, name, item, depth + 1))
      }
      return items.join("")
    }
    if (isRecord(value)) {
      const children = yield* encodeJobParamElements(path, value, depth + 1)
      return children.length === 0 ?
        yield* invalid(path, "{}", "must not be an empty object; leave the element out instead") :
        parentElement(name, children)
    }
    return yield* invalid(path, String(value), "must be text, an object or an array")
  })

const encodeJobParamElements = (
  path: string,
  elements: Readonly<Record<string, unknown>>,
  depth: number
): Either.Either<ReadonlyArray<string>, CiInvalidInput> =>
  Either.gen(function*() {
    const written: Array<string> = []
    for (const [name, value] of Object.entries(elements)) {
      if (!elementNamePattern.test(name)) {
        return yield* invalid(
          path,
          name,
          "has a key that is not an XML element name: use letters, digits, \"_\", \"-\" and \".\", not starting with a digit"
        )
      }
      written.push(yield* encodeJobParamValue(`${path}.${name}`, name, value, depth))
    }
    return written
  })

const encodeJobParam = (request: BatchJobs.CreateNodeJobRequest): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    const templateId = yield* validateOptionalXmlText("templateId", request.templateId)
    if (request.jobParam === undefined) {
      return parentElement("JobParam", [textElement("TemplateId", templateId)])
    }
    if (!isRecord(request.jobParam)) {
      return yield* invalid("jobParam", String(request.jobParam), "must be an object of JobParam elements")
    }
    if (templateId !== undefined && request.jobParam["TemplateId"] !== undefined) {
      return yield* invalid("jobParam.TemplateId", String(request.jobParam["TemplateId"]), "duplicates templateId; set one")
    }
    // NOTE: extra children follow TemplateId in the record's order. The Go SDK writes some blocks
    // (MediaResult, MediaInfo, Transcode, Watermark) before TemplateId. Whether CI depends on this
    // order is unknown.
    const extra = yield* encodeJobParamElements("jobParam", request.jobParam, 1)
    return parentElement("JobParam", [textElement("TemplateId", templateId), ...extra])
  })

const encodeOutput = (output: unknown): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (output === undefined) {
      return ""
    }
    if (!isRecord(output)) {
      return yield* invalid("output", String(output), "must be an object with region, bucket and object")
    }
    const region = yield* validateXmlText("output.region", output.region)
    const bucket = yield* validateXmlText("output.bucket", output.bucket)
    const object = yield* validateXmlText("output.object", output.object)
    return parentElement("Output", [
      textElement("Region", region),
      textElement("Bucket", bucket),
      textElement("Object", object)
    ])
  })

// Element order follows the Go SDK's InventoryTriggerJobOperation, whose test pins one body.
const encodeWorkflowOperation = (request: BatchJobs.CreateWorkflowJobRequest): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    const workflowIds = yield* validateXmlText("workflowIds", request.workflowIds)
    const timeInterval = yield* encodeTimeInterval(request.timeInterval)
    return parentElement("Operation", [textElement("WorkflowIds", workflowIds), timeInterval])
  })

// NOTE: CallBackMqConfig and FreeTranscode are not modelled, and Output has only Region, Bucket
// and Object (no SpriteObject or AuObject).
const encodeNodeOperation = (request: BatchJobs.CreateNodeJobRequest): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    const tag = yield* validateXmlText("tag", request.tag)
    const timeInterval = yield* encodeTimeInterval(request.timeInterval)
    const queueId = yield* validateOptionalXmlText("queueId", request.queueId)
    const userData = yield* validateOptionalXmlText("userData", request.userData)
    // NOTE: only the lower bound is checked. The batch-job documentation gives no upper bound, so
    // an unsupported level reaches CI.
    const jobLevel = request.jobLevel === undefined ?
      undefined :
      yield* validateInteger("jobLevel", request.jobLevel, 0, Number.MAX_SAFE_INTEGER)
    const callBackFormat = yield* validateOptionalXmlText("callBackFormat", request.callBackFormat)
    const callBackType = yield* validateOptionalXmlText("callBackType", request.callBackType)
    const callBack = yield* validateOptionalXmlText("callBack", request.callBack)
    const jobParam = yield* encodeJobParam(request)
    const output = yield* encodeOutput(request.output)

    return parentElement("Operation", [
      timeInterval,
      textElement("QueueId", queueId),
      textElement("UserData", userData),
      textElement("JobLevel", jobLevel === undefined ? undefined : String(jobLevel)),
      textElement("CallBackFormat", callBackFormat),
      textElement("CallBackType", callBackType),
      textElement("CallBack", callBack),
      textElement("Tag", tag),
      jobParam,
      output
    ])
  })

/**
 * Checks every field of a create request and writes its `<Request>` body. Fails on the first
 * invalid field, in body order.
 *
 * @internal
 */
export const encodeCreateRequest = (request: BatchJobs.CreateJobRequest): Either.Either<string, CiInvalidInput> =>
  Either.gen(function*() {
    if (!isRecord(request)) {
      return yield* invalid("request", String(request), "must be an object")
    }
    const name = yield* validateName(request.name)
    if (request.type !== "Workflow" && request.type !== "Job") {
      return yield* invalid("type", String((request as { readonly type: unknown }).type), "must be \"Workflow\" or \"Job\"")
    }
    const input = yield* encodeInput(request.input)
    const operation = request.type === "Workflow" ?
      yield* encodeWorkflowOperation(request) :
      yield* encodeNodeOperation(request)

    return parentElement("Request", [
      textElement("Name", name),
      textElement("Type", request.type),
      input,
      operation
    ])
  })

/** @internal */
export const create = Effect.fn("BatchJobs.create")(function*(request: BatchJobs.CreateJobRequest) {
  const client = yield* CiClient.CiClient
  yield* Effect.annotateCurrentSpan("ci.bucket", client.bucket)
  const body = yield* encodeCreateRequest(request)

  const response = yield* client.send({
    method: "POST",
    path: [resource],
    body: { contentType: "application/xml", content: body },
    // CI has no idempotency key for create, so a retry after a timeout or 5xx could start a second job.
    idempotent: false
  })
  const job: BatchJob.BatchJob = yield* decodeBody(response, (document) => {
    const details = CiXml.elements(document, "JobsDetail")
    return details.length === 1 ? decodeJob(details[0]) : Either.left(`expected one JobsDetail, got ${details.length}`)
  })
  yield* Effect.annotateCurrentSpan("ci.job_id", job.jobId)
  return job
})
