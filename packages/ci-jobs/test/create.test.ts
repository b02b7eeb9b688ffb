import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import { CiDecodeError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as CiXml from "@effect-cos/http/CiXml"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import {
  batchJob,
  ciHost,
  failure,
  fixtureTimeMillis,
  parsedAuthorization,
  runWithClock,
  stubLayer,
  xmlOk
} from "./fixtures.js"

const createdJobXml = "<Response><RequestId>REQ-CREATE</RequestId><JobsDetail><Code>Success</Code><Message/>" +
  "<JobId>b1460606b9752148c4ab182f55163ba7cd</JobId><Name>demo</Name><Type>Job</Type><State>Submitted</State>" +
  "<CreationTime>2022-06-27T15:23:10+0800</CreationTime><StartTime>-</StartTime><EndTime>-</EndTime>" +
  "<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><Tag>Transcode</Tag><Input><Prefix>input</Prefix></Input>" +
  "<Operation><UserData>this is my inventorytriggerjob</UserData></Operation></JobsDetail></Response>"

const created = () => xmlOk(createdJobXml, "REQ-CREATE")

/** Beijing time (+0800) as a Date. */
const beijing = (text: string) => new Date(`${text}+08:00`)

// The request the Go SDK's unit test serializes, field for field.
const goSdkRequest: BatchJobs.CreateJobRequest = {
  type: "Job",
  name: "demo",
  input: { prefix: "input" },
  timeInterval: { start: beijing("2022-02-01T12:00:00"), end: beijing("2022-05-01T12:00:00") },
  queueId: "p893bcda225bf4945a378da6662e81a89",
  userData: "this is my inventorytriggerjob",
  jobLevel: 1,
  callBack: "https://www.callback.com",
  tag: "Transcode",
  templateId: "t1460606b9752148c4ab182f55163ba7cd",
  output: { region: "ap-chongqing", bucket: "test-1234567890", object: "output/${InventoryTriggerJobId}/out.mp4" }
}

// The body that test pins (cos-go-sdk-v5 ci_media_test.go, TestCIService_CreateInventoryTriggerJob).
const goSdkBody = "<Request><Name>demo</Name><Type>Job</Type><Input><Prefix>input</Prefix></Input><Operation>" +
  "<TimeInterval><Start>2022-02-01T12:00:00+0800</Start><End>2022-05-01T12:00:00+0800</End></TimeInterval>" +
  "<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><UserData>this is my inventorytriggerjob</UserData>" +
  "<JobLevel>1</JobLevel><CallBack>https://www.callback.com</CallBack><Tag>Transcode</Tag>" +
  "<JobParam><TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId></JobParam>" +
  "<Output><Region>ap-chongqing</Region><Bucket>test-1234567890</Bucket>" +
  "<Object>output/${InventoryTriggerJobId}/out.mp4</Object></Output></Operation></Request>"

/** Creates a job at the fixture time and returns the outcome with every request the stub received. */
const createOutcome = (request: BatchJobs.CreateJobRequest) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const result = yield* Effect.either(BatchJobs.create(request))
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

/** The body create sends for a request, which must succeed. */
const bodyOf = (request: BatchJobs.CreateJobRequest) =>
  Effect.gen(function*() {
    const { result, sent } = yield* createOutcome(request)
    expect(Either.isRight(result)).toBe(true)
    expect(sent).toHaveLength(1)
    return sent[0].body
  })

describe("BatchJobs.create", () => {
  describe("request", () => {
    it.effect("writes Job body in Go SDK order", () =>
      Effect.gen(function*() {
        const { sent } = yield* createOutcome(goSdkRequest)
        expect(sent).toHaveLength(1)
        expect(sent[0].method).toBe("POST")
        expect(sent[0].url).toBe(`https://${ciHost}/inventorytriggerjob`)
        expect(sent[0].body).toBe(goSdkBody)
        expect(sent[0].headers["content-type"]).toBe("application/xml")
        expect(sent[0].headers["content-length"]).toBe(String(Buffer.byteLength(goSdkBody)))
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("signs the body's length, type and MD5", () =>
      Effect.gen(function*() {
        const { sent } = yield* createOutcome(goSdkRequest)
        const headers = sent[0].headers
        const expected = Signer.sign({
          method: "POST",
          pathname: "/inventorytriggerjob",
          query: {},
          headers: {
            host: ciHost,
            "content-length": headers["content-length"],
            "content-md5": headers["content-md5"],
            "content-type": "application/xml"
          },
          secretId: "AKIDEXAMPLE",
          secretKey: Redacted.make("SECRETKEYEXAMPLE"),
          keyTime: { start: 1700000000, end: 1700000900 }
        })

        expect(parsedAuthorization(headers["authorization"]).headerList).toStrictEqual([
          "content-length",
          "content-md5",
          "content-type",
          "host"
        ])
        expect(parsedAuthorization(headers["authorization"]).urlParamList).toStrictEqual([])
        expect(headers["authorization"]).toBe(expected)
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("writes Workflow body without TimeInterval", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Workflow",
          name: "trigger-1",
          input: { manifest: "cos_bucket_inventory/1250000000/test/20220506/manifest.json" },
          workflowIds: "web6ac56c1ef54dbfa44d7f4103203be9"
        })
        expect(body).toBe(
          "<Request><Name>trigger-1</Name><Type>Workflow</Type>" +
            "<Input><Manifest>cos_bucket_inventory/1250000000/test/20220506/manifest.json</Manifest></Input>" +
            "<Operation><WorkflowIds>web6ac56c1ef54dbfa44d7f4103203be9</WorkflowIds></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("writes a Workflow time interval after WorkflowIds", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Workflow",
          name: "trigger-2",
          input: { prefix: "videos/" },
          workflowIds: "web6ac56c1ef54dbfa44d7f4103203be9",
          timeInterval: { start: beijing("2002-02-16T10:45:12") }
        })
        expect(body).toBe(
          "<Request><Name>trigger-2</Name><Type>Workflow</Type><Input><Prefix>videos/</Prefix></Input>" +
            "<Operation><WorkflowIds>web6ac56c1ef54dbfa44d7f4103203be9</WorkflowIds>" +
            "<TimeInterval><Start>2002-02-16T10:45:12+0800</Start></TimeInterval></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("formats times in Beijing time", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Workflow",
          name: "late",
          input: { prefix: "p/" },
          workflowIds: "w1",
          timeInterval: { end: new Date("2022-02-25T20:30:00Z") }
        })
        expect(body).toContain("<TimeInterval><End>2022-02-26T04:30:00+0800</End></TimeInterval>")
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("leaves out every absent optional element", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({ type: "Job", name: "snap", input: { object: "a.mp4" }, tag: "Snapshot" })
        expect(body).toBe(
          "<Request><Name>snap</Name><Type>Job</Type><Input><Object>a.mp4</Object></Input>" +
            "<Operation><Tag>Snapshot</Tag></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("writes JobLevel 0 and the callback settings", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Job",
          name: "cb",
          input: { urlFile: "lists/urls.txt" },
          tag: "Transcode",
          jobLevel: 0,
          callBackFormat: "JSON",
          callBackType: "Url",
          callBack: "https://example.com/hook?a=1&b=2"
        })
        expect(body).toBe(
          "<Request><Name>cb</Name><Type>Job</Type><Input><UrlFile>lists/urls.txt</UrlFile></Input><Operation>" +
            "<JobLevel>0</JobLevel><CallBackFormat>JSON</CallBackFormat><CallBackType>Url</CallBackType>" +
            "<CallBack>https://example.com/hook?a=1&amp;b=2</CallBack><Tag>Transcode</Tag></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("escapes markup characters in text", () =>
      Effect.gen(function*() {
        const name = "a&b<c>\"d'e"
        const userData = "</UserData><Tag>Evil</Tag> &amp; line\r\nnext"
        const body = yield* bodyOf({ type: "Job", name, input: { prefix: "x<y" }, tag: "Transcode", userData })

        expect(body).toBe(
          "<Request><Name>a&amp;b&lt;c&gt;&quot;d&apos;e</Name><Type>Job</Type><Input><Prefix>x&lt;y</Prefix></Input>" +
            "<Operation><UserData>&lt;/UserData&gt;&lt;Tag&gt;Evil&lt;/Tag&gt; &amp;amp; line&#xD;\nnext</UserData>" +
            "<Tag>Transcode</Tag></Operation></Request>"
        )

        // A strict parser reads back exactly the texts that were given.
        const document = Either.getOrThrow(CiXml.parse(body))
        const request = CiXml.root(document, "Request")!
        const operation = CiXml.elements(request, "Operation")[0]
        expect(CiXml.text(request, "Name")).toBe(name)
        expect(CiXml.text(operation, "UserData")).toBe(userData)
        expect(CiXml.texts(operation, "Tag")).toStrictEqual(["Transcode"])
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("keeps non-ASCII text as UTF-8", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({ type: "Job", name: "转码任务😀", input: { prefix: "视频/" }, tag: "Transcode" })
        expect(body).toBe(
          "<Request><Name>转码任务😀</Name><Type>Job</Type><Input><Prefix>视频/</Prefix></Input>" +
            "<Operation><Tag>Transcode</Tag></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("writes extra JobParam children after TemplateId", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Job",
          name: "tc",
          input: { prefix: "in/" },
          tag: "Transcode",
          templateId: "t1",
          jobParam: {
            Transcode: { Container: { Format: "mp4" }, Video: { Codec: "H.264", Bitrate: "1000" } },
            WatermarkTemplateId: ["tw1", "tw2"],
            Watermark: [{ Type: "Text", Text: { Text: "a&b" } }]
          }
        })
        expect(body).toBe(
          "<Request><Name>tc</Name><Type>Job</Type><Input><Prefix>in/</Prefix></Input><Operation><Tag>Transcode</Tag>" +
            "<JobParam><TemplateId>t1</TemplateId>" +
            "<Transcode><Container><Format>mp4</Format></Container><Video><Codec>H.264</Codec><Bitrate>1000</Bitrate></Video></Transcode>" +
            "<WatermarkTemplateId>tw1</WatermarkTemplateId><WatermarkTemplateId>tw2</WatermarkTemplateId>" +
            "<Watermark><Type>Text</Type><Text><Text>a&amp;b</Text></Text></Watermark>" +
            "</JobParam></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("accepts a TemplateId given inside jobParam", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Job",
          name: "tc",
          input: { prefix: "in/" },
          tag: "Transcode",
          jobParam: { TemplateId: "t2" }
        })
        expect(body).toContain("<JobParam><TemplateId>t2</TemplateId></JobParam>")
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("writes an output with sprites only", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf({
          type: "Job",
          name: "sprites",
          input: { prefix: "videos/" },
          tag: "Snapshot",
          snapshot: {
            count: 20,
            snapshotOutMode: "OnlySprite",
            spriteSnapshotConfig: { color: "White", columns: 5, lines: 4 }
          },
          output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", spriteObject: "sprite-${Number}.jpg" }
        })
        expect(body).toContain(
          "<JobParam><Snapshot><Count>20</Count><SnapshotOutMode>OnlySprite</SnapshotOutMode>" +
            "<SpriteSnapshotConfig><Color>White</Color><Columns>5</Columns><Lines>4</Lines></SpriteSnapshotConfig>" +
            "</Snapshot></JobParam><Output><Region>ap-guangzhou</Region><Bucket>examplebucket-1250000000</Bucket>" +
            "<SpriteObject>sprite-${Number}.jpg</SpriteObject></Output>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("counts name length in code points", () =>
      Effect.gen(function*() {
        const name = "😀".repeat(128)
        const body = yield* bodyOf({ type: "Job", name, input: { prefix: "p/" }, tag: "Transcode" })
        expect(body).toContain(`<Name>${name}</Name>`)
      }).pipe(Effect.provide(stubLayer(created))))
  })

  describe("result", () => {
    it.effect("returns the created job", () =>
      Effect.gen(function*() {
        const { result } = yield* createOutcome(goSdkRequest)
        expect(result).toStrictEqual(Either.right(batchJob({
          jobId: "b1460606b9752148c4ab182f55163ba7cd",
          state: "Submitted",
          name: "demo",
          type: "Job",
          code: "Success",
          message: "",
          creationTime: new Date("2022-06-27T07:23:10Z"),
          queueId: "p893bcda225bf4945a378da6662e81a89",
          tag: "Transcode",
          input: { manifest: undefined, urlFile: undefined, prefix: "input", object: undefined },
          userData: "this is my inventorytriggerjob",
          operation: { userData: "this is my inventorytriggerjob" },
          requestId: "REQ-CREATE"
        })))
      }).pipe(Effect.provide(stubLayer(created))))

    it.effect("fails to decode a response without JobsDetail", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* createOutcome(goSdkRequest)
        expect(sent).toHaveLength(1)
        expect(failure(result)).toStrictEqual(
          new CiDecodeError({
            status: 200,
            requestId: "REQ-EMPTY",
            reason: "expected one JobsDetail, got 0",
            bodyPreview: "<Response><RequestId>REQ-EMPTY</RequestId></Response>"
          })
        )
      }).pipe(
        Effect.provide(stubLayer(() => xmlOk("<Response><RequestId>REQ-EMPTY</RequestId></Response>", "REQ-EMPTY")))
      ))

    it.effect("does not retry a rejected request", () =>
      Effect.gen(function*() {
        const { result, sent } = yield* createOutcome(goSdkRequest)
        expect(sent).toHaveLength(1)
        expect(failure(result)).toMatchObject({ _tag: "CiServiceError", status: 400, code: "InvalidArgument" })
      }).pipe(Effect.provide(stubLayer(() =>
        TestHttpClient.respond(400, {
          body: "<Error><Code>InvalidArgument</Code><Message>bad tag</Message></Error>",
          headers: { "content-type": "application/xml" }
        })
      ))))

    // A create that may have reached CI must not be sent again: it could start a second job.
    for (
      const [name, reply] of [
        ["a 500", TestHttpClient.respond(500)],
        ["a 503 InternalError", TestHttpClient.respond(503, { body: "<Error><Code>InternalError</Code></Error>" })],
        ["a reset connection", TestHttpClient.reset],
        ["a timeout", TestHttpClient.hang]
      ] as const
    ) {
      it.effect(`does not retry after ${name}`, () =>
        Effect.gen(function*() {
          const result = yield* runWithClock(Effect.either(BatchJobs.create(goSdkRequest)))
          const sent = yield* TestHttpClient.requests
          expect(sent).toHaveLength(1)
          expect(Either.isLeft(result)).toBe(true)
        }).pipe(Effect.provide(stubLayer(() => reply, { timeout: "5 seconds" }))))
    }

    it.effect("retries throttling, which CI answers before acting", () =>
      Effect.gen(function*() {
        const result = yield* runWithClock(BatchJobs.create(goSdkRequest))
        const sent = yield* TestHttpClient.requests
        expect(sent.map((request) => request.body)).toStrictEqual([goSdkBody, goSdkBody, goSdkBody])
        expect(result.jobId).toBe("b1460606b9752148c4ab182f55163ba7cd")
      }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
        TestHttpClient.respond(503, { body: "<Error><Code>SlowDown</Code><Message>slow</Message></Error>" }),
        TestHttpClient.respond(429),
        created()
      )))))
  })

  describe("validation", () => {
    const job = { type: "Job", name: "n", input: { prefix: "p/" }, tag: "Transcode" } as const
    const workflow = { type: "Workflow", name: "n", input: { prefix: "p/" }, workflowIds: "w1" } as const
    const jobFields = "type, name, input, timeInterval, tag, transcode, templateId, watermarkTemplateIds, snapshot, " +
      "jobParam, output, queueId, userData, jobLevel, callBack, callBackFormat, callBackType, callBackMqConfig, " +
      "freeTranscode"
    const cyclic: Record<string, unknown> = {}
    cyclic["Loop"] = cyclic

    const cases: ReadonlyArray<readonly [string, unknown, CiInvalidInput]> = [
      [
        "an empty name",
        { ...job, name: "" },
        new CiInvalidInput({ field: "name", value: "", reason: "must not be empty" })
      ],
      [
        "a name of 129 characters",
        { ...job, name: "a".repeat(129) },
        new CiInvalidInput({ field: "name", value: "a".repeat(129), reason: "must be 1 to 128 characters, got 129" })
      ],
      [
        "a name with a lone surrogate",
        { ...job, name: "a\ud800" },
        new CiInvalidInput({ field: "name", value: "a\ud800", reason: "contains a lone UTF-16 surrogate" })
      ],
      [
        "a name with a control character",
        { ...job, name: "a\u0001" },
        new CiInvalidInput({ field: "name", value: "a\u0001", reason: "contains U+0001, which XML 1.0 cannot carry" })
      ],
      [
        "a missing name",
        { ...job, name: undefined },
        new CiInvalidInput({ field: "name", value: "", reason: "is required" })
      ],
      [
        "an unknown type",
        { ...job, type: "Batch" },
        new CiInvalidInput({ field: "type", value: "Batch", reason: "must be \"Workflow\" or \"Job\"" })
      ],
      [
        "an input without a field",
        { ...job, input: {} },
        new CiInvalidInput({
          field: "input",
          value: "",
          reason: "must set exactly one of manifest, urlFile, prefix and object"
        })
      ],
      [
        "an input with two fields",
        { ...job, input: { prefix: "a/", object: "b" } },
        new CiInvalidInput({
          field: "input",
          value: "prefix,object",
          reason: "must set exactly one of manifest, urlFile, prefix and object"
        })
      ],
      [
        "an empty input prefix",
        { ...job, input: { prefix: "" } },
        new CiInvalidInput({ field: "input.prefix", value: "", reason: "must not be empty" })
      ],
      [
        "a missing input",
        { ...job, input: undefined },
        new CiInvalidInput({
          field: "input",
          value: "undefined",
          reason: "must be an object with one of manifest, urlFile, prefix or object"
        })
      ],
      [
        "a Workflow job without workflowIds",
        { ...workflow, workflowIds: undefined },
        new CiInvalidInput({ field: "workflowIds", value: "", reason: "is required" })
      ],
      [
        "a Job without a tag",
        { ...job, tag: undefined },
        new CiInvalidInput({ field: "tag", value: "", reason: "is required" })
      ],
      [
        "a time interval that ends before it starts",
        {
          ...workflow,
          timeInterval: { start: new Date("2022-05-01T00:00:00Z"), end: new Date("2022-02-01T00:00:00Z") }
        },
        new CiInvalidInput({
          field: "timeInterval.start",
          value: "2022-05-01T00:00:00.000Z",
          reason: "must not be after timeInterval.end (2022-02-01T00:00:00.000Z)"
        })
      ],
      [
        "an invalid start date",
        { ...job, timeInterval: { start: new Date("not a date") } },
        new CiInvalidInput({ field: "timeInterval.start", value: "Invalid Date", reason: "must be a valid Date" })
      ],
      [
        "a start time given as text",
        { ...job, timeInterval: { start: "2022-02-01T12:00:00+0800" } },
        new CiInvalidInput({ field: "timeInterval.start", value: "2022-02-01T12:00:00+0800", reason: "must be a Date" })
      ],
      [
        "a year CI's time format cannot hold",
        { ...job, timeInterval: { end: new Date("+010000-01-01T00:00:00Z") } },
        new CiInvalidInput({
          field: "timeInterval.end",
          value: "+010000-01-01T00:00:00.000Z",
          reason: "must fall between the years 0000 and 9999 in Beijing time"
        })
      ],
      [
        "an output without a bucket",
        { ...job, output: { region: "ap-guangzhou", object: "o" } },
        new CiInvalidInput({ field: "output.bucket", value: "", reason: "is required" })
      ],
      [
        "an output that names no result",
        { ...job, output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000" } },
        new CiInvalidInput({
          field: "output",
          value: "[object]",
          reason: "must name a result: set object, spriteObject, auObject or streamExtract"
        })
      ],
      [
        "an unknown output field",
        { ...job, output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", object: "o", key: "k" } },
        new CiInvalidInput({
          field: "output.key",
          value: "k",
          reason: "is not a field of output: use region, bucket, object, spriteObject, auObject, streamExtract"
        })
      ],
      [
        "an empty stream list",
        { ...job, output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", streamExtract: [] } },
        new CiInvalidInput({
          field: "output.streamExtract",
          value: "[array]",
          reason: "must be a non-empty array of { index, object }"
        })
      ],
      [
        "a stream without an index",
        {
          ...job,
          output: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", streamExtract: [{ object: "v.mp4" }] }
        },
        new CiInvalidInput({ field: "output.streamExtract[0].index", value: "", reason: "is required" })
      ],
      [
        "a stream with a negative index",
        {
          ...job,
          output: {
            region: "ap-guangzhou",
            bucket: "examplebucket-1250000000",
            streamExtract: [{ index: 0, object: "v.mp4" }, { index: -1, object: "a.m4a" }]
          }
        },
        new CiInvalidInput({
          field: "output.streamExtract[1].index",
          value: "-1",
          reason: `must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`
        })
      ],
      [
        "a negative job level",
        { ...job, jobLevel: -1 },
        new CiInvalidInput({
          field: "jobLevel",
          value: "-1",
          reason: `must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`
        })
      ],
      [
        "a fractional job level",
        { ...job, jobLevel: 1.5 },
        new CiInvalidInput({
          field: "jobLevel",
          value: "1.5",
          reason: `must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`
        })
      ],
      [
        "an empty userData",
        { ...job, userData: "" },
        new CiInvalidInput({ field: "userData", value: "", reason: "must not be empty" })
      ],
      [
        "a callback with a lone surrogate",
        { ...job, callBack: "https://e.com/\udc00" },
        new CiInvalidInput({
          field: "callBack",
          value: "https://e.com/\udc00",
          reason: "contains a lone UTF-16 surrogate"
        })
      ],
      [
        "a JobParam key that is not an element name",
        { ...job, jobParam: { "Bad><Name": "x" } },
        new CiInvalidInput({
          field: "jobParam",
          value: "Bad><Name",
          reason:
            "has a key that is not an XML element name: use letters, digits, \"_\", \"-\" and \".\", not starting with a digit"
        })
      ],
      [
        "an empty JobParam block",
        { ...job, jobParam: { Transcode: {} } },
        new CiInvalidInput({
          field: "jobParam.Transcode",
          value: "{}",
          reason: "must not be an empty object; leave the element out instead"
        })
      ],
      [
        "an empty JobParam array",
        { ...job, jobParam: { WatermarkTemplateId: [] } },
        new CiInvalidInput({
          field: "jobParam.WatermarkTemplateId",
          value: "[]",
          reason: "must not be an empty array; leave the element out instead"
        })
      ],
      [
        "a number inside JobParam",
        { ...job, jobParam: { Transcode: { Video: { Bitrate: 1000 } } } },
        new CiInvalidInput({
          field: "jobParam.Transcode.Video.Bitrate",
          value: "1000",
          reason: "must be text, an object or an array"
        })
      ],
      [
        "a nested array inside JobParam",
        { ...job, jobParam: { Watermark: [["x"]] } },
        new CiInvalidInput({
          field: "jobParam.Watermark[0]",
          value: "[array]",
          reason: "must be text or an object, not an array"
        })
      ],
      [
        "a TemplateId given twice",
        { ...job, templateId: "t1", jobParam: { TemplateId: "t2" } },
        new CiInvalidInput({ field: "jobParam.TemplateId", value: "t2", reason: "duplicates templateId; set one" })
      ],
      [
        "an unknown request key",
        { ...job, snapshots: { mode: "Interval" } },
        new CiInvalidInput({
          field: "snapshots",
          value: "[object]",
          reason: `is not a field of a Job request: use ${jobFields}`
        })
      ],
      [
        "a misspelt output key",
        { ...job, outptu: { region: "ap-guangzhou", bucket: "examplebucket-1250000000", object: "o" } },
        new CiInvalidInput({
          field: "outptu",
          value: "[object]",
          reason: `is not a field of a Job request: use ${jobFields}`
        })
      ],
      [
        "an unknown request key set to undefined",
        { ...job, templateID: undefined },
        new CiInvalidInput({
          field: "templateID",
          value: "undefined",
          reason: `is not a field of a Job request: use ${jobFields}`
        })
      ],
      [
        "an unknown key of a Workflow request",
        { ...workflow, workflowId: "w2" },
        new CiInvalidInput({
          field: "workflowId",
          value: "w2",
          reason: "is not a field of a Workflow request: use type, name, input, timeInterval, workflowIds"
        })
      ],
      [
        "a snapshot on a Workflow request",
        { ...workflow, snapshot: { mode: "Interval" } },
        new CiInvalidInput({
          field: "snapshot",
          value: "[object]",
          reason:
            "is a field of Job requests only: a Workflow request takes type, name, input, timeInterval, workflowIds"
        })
      ],
      [
        "a tag on a Workflow request",
        { ...workflow, tag: "Transcode" },
        new CiInvalidInput({
          field: "tag",
          value: "Transcode",
          reason:
            "is a field of Job requests only: a Workflow request takes type, name, input, timeInterval, workflowIds"
        })
      ],
      [
        "an unknown input key next to a known one",
        { ...job, input: { prefix: "p/", prefx: "q/" } },
        new CiInvalidInput({
          field: "input.prefx",
          value: "q/",
          reason: "is not a field of input: use manifest, urlFile, prefix, object"
        })
      ],
      [
        "an input with only an unknown key",
        { ...job, input: { prefx: "p/" } },
        new CiInvalidInput({
          field: "input.prefx",
          value: "p/",
          reason: "is not a field of input: use manifest, urlFile, prefix, object"
        })
      ],
      [
        "an unknown time interval key",
        { ...job, timeInterval: { start: new Date("2022-02-01T00:00:00Z"), ned: new Date("2022-05-01T00:00:00Z") } },
        new CiInvalidInput({
          field: "timeInterval.ned",
          value: "2022-05-01T00:00:00.000Z",
          reason: "is not a field of timeInterval: use start, end"
        })
      ],
      [
        "a cyclic JobParam",
        { ...job, jobParam: cyclic },
        new CiInvalidInput({
          field: `jobParam${".Loop".repeat(17)}`,
          value: "[nested]",
          reason: "must not nest deeper than 16 levels"
        })
      ]
    ]

    it.effect("accepts undefined Job fields on Workflow", () =>
      Effect.gen(function*() {
        const body = yield* bodyOf(
          { ...workflow, snapshot: undefined, output: undefined } as BatchJobs.CreateJobRequest
        )
        expect(body).toBe(
          "<Request><Name>n</Name><Type>Workflow</Type><Input><Prefix>p/</Prefix></Input>" +
            "<Operation><WorkflowIds>w1</WorkflowIds></Operation></Request>"
        )
      }).pipe(Effect.provide(stubLayer(created))))

    for (const [name, request, expected] of cases) {
      it.effect(`rejects ${name} without a request`, () =>
        Effect.gen(function*() {
          const { result, sent } = yield* createOutcome(request as BatchJobs.CreateJobRequest)
          expect(sent).toHaveLength(0)
          expect(failure(result)).toStrictEqual(expected)
        }).pipe(Effect.provide(stubLayer(created))))
    }
  })
})
