import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import type { CiDecodeError } from "@effect-cos/http/CiError"
import { CiInvalidInput } from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as TestClock from "effect/TestClock"
import {
  batchJob,
  everyFieldOperation,
  everyFieldRequest,
  failure,
  fixtureTimeMillis,
  jobId,
  stubLayer,
  xmlOk
} from "./fixtures.js"

// The body of everyFieldRequest: the Go SDK's element order, then the free-form JobParam children.
const everyFieldOperationXml = "<Operation>" +
  "<TimeInterval><Start>2022-02-01T12:00:00+0800</Start><End>2022-05-01T12:00:00+0800</End></TimeInterval>" +
  "<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><UserData> &lt;user&gt; &amp; data </UserData>" +
  "<JobLevel>2</JobLevel><CallBackFormat>JSON</CallBackFormat><CallBackType>TDMQ</CallBackType>" +
  "<CallBack>https://example.com/hook?a=1&amp;b=2</CallBack>" +
  "<CallBackMqConfig><MqMode>Queue</MqMode><MqRegion>gz</MqRegion><MqName>ci-callbacks</MqName></CallBackMqConfig>" +
  "<Tag>Transcode</Tag><JobParam>" +
  "<Transcode><Container><Format>mp4</Format></Container>" +
  "<Video><Codec>H.264</Codec><Width>1280</Width><Height>720</Height><Fps>29.97</Fps><Bitrate>1500</Bitrate>" +
  "<Crf>23.5</Crf></Video><TimeInterval><Start>0.5</Start><Duration>60</Duration></TimeInterval>" +
  "<Audio><Codec>aac</Codec><Samplerate>44100</Samplerate><Bitrate>128</Bitrate><Channels>2</Channels></Audio>" +
  "<TransConfig><AdjDarMethod>scale</AdjDarMethod><IsCheckReso>true</IsCheckReso><ResoAdjMethod>1</ResoAdjMethod>" +
  "<IsCheckVideoBitrate>true</IsCheckVideoBitrate><VideoBitrateAdjMethod>0</VideoBitrateAdjMethod>" +
  "<IsCheckAudioBitrate>false</IsCheckAudioBitrate><AudioBitrateAdjMethod>0</AudioBitrateAdjMethod>" +
  "<DeleteMetadata>true</DeleteMetadata><IsHdr2Sdr>false</IsHdr2Sdr></TransConfig></Transcode>" +
  "<TemplateId>t1460606b9752148c4ab182f55163ba7cd</TemplateId>" +
  "<WatermarkTemplateId>t1318c5f428d474afba1797f84091cbe22</WatermarkTemplateId>" +
  "<WatermarkTemplateId>t1318c5f428d474afba1797f84091cbe23</WatermarkTemplateId>" +
  "<Snapshot><Mode>Interval</Mode><Start>1.5</Start><TimeInterval>10</TimeInterval><Count>3</Count>" +
  "<Width>640</Width><Height>360</Height><CIParam>imageMogr2/format/png</CIParam>" +
  "<IsCheckCount>true</IsCheckCount><IsCheckBlack>false</IsCheckBlack><BlackLevel>30</BlackLevel>" +
  "<PixelBlackThreshold>0</PixelBlackThreshold><SnapshotOutMode>SnapshotAndSprite</SnapshotOutMode>" +
  "<SpriteSnapshotConfig><CellHeight>90</CellHeight><CellWidth>160</CellWidth><Color>AliceBlue</Color>" +
  "<Columns>10</Columns><Lines>8</Lines><Margin>0</Margin><Padding>4</Padding></SpriteSnapshotConfig></Snapshot>" +
  "<Watermark><Type>Text</Type><Text><Text>a&amp;b</Text></Text></Watermark>" +
  "<Watermark><Type>Text</Type><Text><Text>c</Text></Text></Watermark><Segment><Format>hls</Format></Segment>" +
  "</JobParam><Output><Region>ap-guangzhou</Region><Bucket>examplebucket-1250000000</Bucket>" +
  "<Object>out/${InventoryTriggerJobId}.mp4</Object><SpriteObject>sprite/${InventoryTriggerJobId}-${Number}.jpg" +
  "</SpriteObject><AuObject>audio/${InventoryTriggerJobId}.m4a</AuObject>" +
  "<StreamExtract><Index>0</Index><Object>streams/video.mp4</Object></StreamExtract>" +
  "<StreamExtract><Index>1</Index><Object>streams/audio.m4a</Object></StreamExtract>" +
  "</Output><FreeTranscode>true</FreeTranscode></Operation>"

const everyFieldBody = "<Request><Name>every field</Name><Type>Job</Type><Input><Prefix>videos/</Prefix></Input>" +
  `${everyFieldOperationXml}</Request>`

const createdXml = `<Response><JobsDetail><JobId>${jobId}</JobId><State>Submitted</State></JobsDetail></Response>`

/** Creates a job at the fixture time and returns the outcome with every request the stub received. */
const createOutcome = (request: BatchJobs.CreateJobRequest) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const result = yield* Effect.either(BatchJobs.create(request))
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

const describeOutcome = Effect.gen(function*() {
  yield* TestClock.setTime(fixtureTimeMillis)
  const result = yield* Effect.either(BatchJobs.describe(jobId))
  const sent = yield* TestHttpClient.requests
  return { result, sent }
})

/** A describe response whose one JobsDetail has the job id, the given state and `fields`. */
const detailWith = (fields: string, state = "Running") =>
  xmlOk(`<Response><JobsDetail><JobId>${jobId}</JobId><State>${state}</State>${fields}</JobsDetail></Response>`)

const reasonOf = (result: Either.Either<unknown, unknown>) => (failure(result) as CiDecodeError).reason

describe("create request model", () => {
  it.effect("writes every modelled field in Go SDK order", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* createOutcome(everyFieldRequest)
      expect(Either.isRight(result)).toBe(true)
      expect(sent).toHaveLength(1)
      expect(sent[0].body).toBe(everyFieldBody)
    }).pipe(Effect.provide(stubLayer(() => xmlOk(createdXml)))))

  it.effect("writes small fractions as decimal text", () =>
    Effect.gen(function*() {
      const { sent } = yield* createOutcome({
        type: "Job",
        name: "n",
        input: { object: "a.mp4" },
        tag: "Snapshot",
        snapshot: { start: 1.5e-7, timeInterval: 0.000001, count: 9007199254740991 }
      })
      expect(sent).toHaveLength(1)
      expect(sent[0].body).toContain(
        "<JobParam><Snapshot><Start>0.00000015</Start><TimeInterval>0.000001</TimeInterval>" +
          "<Count>9007199254740991</Count></Snapshot></JobParam>"
      )
    }).pipe(Effect.provide(stubLayer(() => xmlOk(createdXml)))))

  it.effect("writes only the fields of a block that are set", () =>
    Effect.gen(function*() {
      const { sent } = yield* createOutcome({
        type: "Job",
        name: "n",
        input: { object: "a.mp4" },
        tag: "Transcode",
        transcode: { video: { codec: "H.265", width: undefined, height: 1080 } },
        watermarkTemplateIds: ["tw1"]
      })
      expect(sent).toHaveLength(1)
      expect(sent[0].body).toBe(
        "<Request><Name>n</Name><Type>Job</Type><Input><Object>a.mp4</Object></Input><Operation><Tag>Transcode</Tag>" +
          "<JobParam><Transcode><Video><Codec>H.265</Codec><Height>1080</Height></Video></Transcode>" +
          "<WatermarkTemplateId>tw1</WatermarkTemplateId></JobParam></Operation></Request>"
      )
    }).pipe(Effect.provide(stubLayer(() => xmlOk(createdXml)))))

  describe("validation", () => {
    const job = { type: "Job", name: "n", input: { prefix: "p/" }, tag: "Transcode" } as const
    const integerReason = `must be an integer from 1 to ${Number.MAX_SAFE_INTEGER}`
    const numberReason = `must be a number from 0 to ${Number.MAX_SAFE_INTEGER}`

    const cases: ReadonlyArray<readonly [string, unknown, CiInvalidInput]> = [
      [
        "a transcode block that is text",
        { ...job, transcode: "mp4" },
        new CiInvalidInput({ field: "transcode", value: "mp4", reason: "must be an object" })
      ],
      [
        "an unknown transcode field",
        { ...job, transcode: { Video: { Codec: "H.264" } } },
        new CiInvalidInput({
          field: "transcode.Video",
          value: "[object]",
          reason: "is not a field of transcode: use container, video, timeInterval, audio, transConfig"
        })
      ],
      [
        "an empty video block",
        { ...job, transcode: { video: {} } },
        new CiInvalidInput({
          field: "transcode.video",
          value: "{}",
          reason: "must set at least one field; leave it out instead"
        })
      ],
      [
        "a video block with only undefined fields",
        { ...job, transcode: { video: { codec: undefined } } },
        new CiInvalidInput({
          field: "transcode.video",
          value: "{}",
          reason: "must set at least one field; leave it out instead"
        })
      ],
      [
        "a fractional width",
        { ...job, transcode: { video: { width: 1280.5 } } },
        new CiInvalidInput({ field: "transcode.video.width", value: "1280.5", reason: integerReason })
      ],
      [
        "a width given as text",
        { ...job, transcode: { video: { width: "1280" } } },
        new CiInvalidInput({ field: "transcode.video.width", value: "1280", reason: integerReason })
      ],
      [
        "a negative frame rate",
        { ...job, transcode: { video: { fps: -1 } } },
        new CiInvalidInput({ field: "transcode.video.fps", value: "-1", reason: numberReason })
      ],
      [
        "a frame rate that is not a number",
        { ...job, transcode: { video: { fps: Number.NaN } } },
        new CiInvalidInput({ field: "transcode.video.fps", value: "NaN", reason: numberReason })
      ],
      [
        "an infinite duration",
        { ...job, transcode: { timeInterval: { duration: Infinity } } },
        new CiInvalidInput({ field: "transcode.timeInterval.duration", value: "Infinity", reason: numberReason })
      ],
      [
        "zero audio channels",
        { ...job, transcode: { audio: { channels: 0 } } },
        new CiInvalidInput({ field: "transcode.audio.channels", value: "0", reason: integerReason })
      ],
      [
        "an empty TransConfig value",
        { ...job, transcode: { transConfig: { isCheckReso: "" } } },
        new CiInvalidInput({ field: "transcode.transConfig.isCheckReso", value: "", reason: "must not be empty" })
      ],
      [
        "a snapshot count of 0",
        { ...job, snapshot: { count: 0 } },
        new CiInvalidInput({ field: "snapshot.count", value: "0", reason: integerReason })
      ],
      [
        "a snapshot format, which is not modelled",
        { ...job, snapshot: { count: 1, format: "png" } },
        new CiInvalidInput({
          field: "snapshot.format",
          value: "png",
          reason: "is not a field of snapshot: use mode, start, timeInterval, count, width, height, ciParam, " +
            "isCheckCount, isCheckBlack, blackLevel, pixelBlackThreshold, snapshotOutMode, spriteSnapshotConfig"
        })
      ],
      [
        "a snapshot switch given as text",
        { ...job, snapshot: { isCheckBlack: "true" } },
        new CiInvalidInput({ field: "snapshot.isCheckBlack", value: "true", reason: "must be true or false" })
      ],
      [
        "a black level above 100 percent",
        { ...job, snapshot: { isCheckBlack: true, blackLevel: 101 } },
        new CiInvalidInput({ field: "snapshot.blackLevel", value: "101", reason: "must be an integer from 0 to 100" })
      ],
      [
        "a pixel threshold above 255",
        { ...job, snapshot: { pixelBlackThreshold: 256 } },
        new CiInvalidInput({
          field: "snapshot.pixelBlackThreshold",
          value: "256",
          reason: "must be an integer from 0 to 255"
        })
      ],
      [
        "a sprite configuration without a color",
        { ...job, snapshot: { spriteSnapshotConfig: { columns: 2, lines: 2 } } },
        new CiInvalidInput({ field: "snapshot.spriteSnapshotConfig.color", value: "", reason: "is required" })
      ],
      [
        "a sprite configuration without lines",
        { ...job, snapshot: { spriteSnapshotConfig: { color: "White", columns: 2 } } },
        new CiInvalidInput({ field: "snapshot.spriteSnapshotConfig.lines", value: "", reason: "is required" })
      ],
      [
        "sprite cells smaller than 8 pixels",
        { ...job, snapshot: { spriteSnapshotConfig: { cellWidth: 7, color: "White", columns: 2, lines: 2 } } },
        new CiInvalidInput({
          field: "snapshot.spriteSnapshotConfig.cellWidth",
          value: "7",
          reason: "must be an integer from 8 to 4096"
        })
      ],
      [
        "a sprite padding above 1024",
        { ...job, snapshot: { spriteSnapshotConfig: { color: "White", columns: 2, lines: 2, padding: 1025 } } },
        new CiInvalidInput({
          field: "snapshot.spriteSnapshotConfig.padding",
          value: "1025",
          reason: "must be an integer from 0 to 1024"
        })
      ],
      [
        "watermark template ids as text",
        { ...job, watermarkTemplateIds: "tw1" },
        new CiInvalidInput({ field: "watermarkTemplateIds", value: "tw1", reason: "must be an array of template ids" })
      ],
      [
        "no watermark template ids",
        { ...job, watermarkTemplateIds: [] },
        new CiInvalidInput({
          field: "watermarkTemplateIds",
          value: "[]",
          reason: "must not be an empty array; leave it out instead"
        })
      ],
      [
        "an empty watermark template id",
        { ...job, watermarkTemplateIds: ["tw1", ""] },
        new CiInvalidInput({ field: "watermarkTemplateIds[1]", value: "", reason: "must not be empty" })
      ],
      [
        "a Transcode block given twice",
        {
          ...job,
          transcode: { container: { format: "mp4" } },
          jobParam: { Transcode: { Container: { Format: "flv" } } }
        },
        new CiInvalidInput({ field: "jobParam.Transcode", value: "[object]", reason: "duplicates transcode; set one" })
      ],
      [
        "a Snapshot block given twice",
        { ...job, snapshot: { count: 1 }, jobParam: { Snapshot: { Count: "2" } } },
        new CiInvalidInput({ field: "jobParam.Snapshot", value: "[object]", reason: "duplicates snapshot; set one" })
      ],
      [
        "watermark template ids given twice",
        { ...job, watermarkTemplateIds: ["tw1"], jobParam: { WatermarkTemplateId: ["tw2", "tw3"] } },
        new CiInvalidInput({
          field: "jobParam.WatermarkTemplateId",
          value: "[array]",
          reason: "duplicates watermarkTemplateIds; set one"
        })
      ],
      [
        "a queue name with a control character",
        { ...job, callBackMqConfig: { mqName: "q\u0001" } },
        new CiInvalidInput({
          field: "callBackMqConfig.mqName",
          value: "q\u0001",
          reason: "contains U+0001, which XML 1.0 cannot carry"
        })
      ],
      [
        "an empty callback queue block",
        { ...job, callBackMqConfig: {} },
        new CiInvalidInput({
          field: "callBackMqConfig",
          value: "{}",
          reason: "must set at least one field; leave it out instead"
        })
      ],
      [
        "an empty FreeTranscode",
        { ...job, freeTranscode: "" },
        new CiInvalidInput({ field: "freeTranscode", value: "", reason: "must not be empty" })
      ]
    ]

    for (const [name, request, expected] of cases) {
      it.effect(`rejects ${name} without a request`, () =>
        Effect.gen(function*() {
          const { result, sent } = yield* createOutcome(request as BatchJobs.CreateJobRequest)
          expect(sent).toHaveLength(0)
          expect(failure(result)).toStrictEqual(expected)
        }).pipe(Effect.provide(stubLayer(() => xmlOk(createdXml)))))
    }
  })
})

describe("JobsDetail model", () => {
  it.effect("decodes a full JobsDetail with its Operation", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome
      expect(sent).toHaveLength(1)
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Success",
        name: "every field",
        type: "Job",
        code: "Success",
        message: "",
        creationTime: new Date("2022-06-27T07:23:10Z"),
        startTime: new Date("2022-06-27T07:23:11Z"),
        endTime: new Date("2022-06-27T07:30:00Z"),
        progress: 100,
        queueId: "p893bcda225bf4945a378da6662e81a89",
        tag: "Transcode",
        input: { manifest: undefined, urlFile: undefined, prefix: "videos/", object: undefined },
        userData: " <user> & data ",
        operation: everyFieldOperation
      })))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Code>Success</Code><Message/><Tag>Transcode</Tag><Name>every field</Name><Type>Job</Type>" +
          "<CreationTime>2022-06-27T15:23:10+0800</CreationTime><StartTime>2022-06-27T15:23:11+0800</StartTime>" +
          "<EndTime>2022-06-27T15:30:00+0800</EndTime><Progress>100</Progress>" +
          "<QueueId>p893bcda225bf4945a378da6662e81a89</QueueId><Input><Prefix>videos/</Prefix></Input>" +
          everyFieldOperationXml,
        "Success"
      )
    ))))

  it.effect("reads a Workflow job's operation", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => job.operation)).toStrictEqual(Either.right({
        workflowIds: "web6ac56c1ef54dbfa44d7f4103203be9",
        timeInterval: { start: new Date("2022-02-01T04:00:00Z") }
      }))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Operation><WorkflowIds>web6ac56c1ef54dbfa44d7f4103203be9</WorkflowIds>" +
          "<TimeInterval><Start>2022-02-01T12:00:00+0800</Start><End></End></TimeInterval></Operation>"
      )
    ))))

  it.effect("ignores elements CI adds later", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Running",
        operation: {
          tag: "Transcode",
          jobParam: {
            transcode: { video: { codec: "H.264" } },
            otherElements: { MediaInfo: { Format: "mp4" }, NewSwitch: "" }
          },
          output: { object: "out.mp4", spriteObject: "sprite.jpg" }
        }
      })))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Workers>3</Workers><Input><Prefix2>x</Prefix2></Input><Operation><Tag>Transcode</Tag><Priority>high</Priority>" +
          "<JobParam><Transcode><Video><Codec>H.264</Codec><Profile>high</Profile></Video><Subtitles/></Transcode>" +
          "<MediaInfo><Format>mp4</Format></MediaInfo><NewSwitch/></JobParam>" +
          "<Output><Object>out.mp4</Object><SpriteObject>sprite.jpg</SpriteObject><HdrObject>h.mp4</HdrObject></Output>" +
          "</Operation>"
      )
    ))))

  it.effect("reads empty number and time elements as unset", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => job.operation)).toStrictEqual(Either.right({
        jobLevel: 0,
        timeInterval: {},
        jobParam: { snapshot: { mode: "Average" } }
      }))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Operation><TimeInterval><Start>-</Start><End></End></TimeInterval><JobLevel>0</JobLevel>" +
          "<JobParam><Snapshot><Mode>Average</Mode><Start></Start><Count></Count></Snapshot></JobParam></Operation>"
      )
    ))))

  it.effect("reads one WatermarkTemplateId as a list", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => job.operation?.jobParam)).toStrictEqual(
        Either.right({ watermarkTemplateIds: ["tw1"] })
      )
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith("<Operation><JobParam><WatermarkTemplateId>tw1</WatermarkTemplateId></JobParam></Operation>")
    ))))

  it.effect("reads an empty Operation as one without fields", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => job.operation)).toStrictEqual(Either.right({}))
    }).pipe(Effect.provide(stubLayer(() => detailWith("<Operation/>")))))

  it.effect("reads the first of repeated elements", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => [job.queueId, job.operation?.userData])).toStrictEqual(
        Either.right(["q1", "first"])
      )
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<QueueId>q1</QueueId><QueueId>q2</QueueId>" +
          "<Operation><UserData>first</UserData><UserData>second</UserData></Operation>"
      )
    ))))

  it.effect("reads text with child elements as unset", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => [job.name, job.operation])).toStrictEqual(Either.right([undefined, {}]))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith("<Name><First>a</First></Name><Operation><Tag><Kind>x</Kind></Tag></Operation>")
    ))))

  it.effect("drops an echoed number that does not decode", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome
      expect(sent).toHaveLength(1)
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Running",
        operation: { jobParam: { transcode: { video: { codec: "H.264", height: 720 } } } }
      })))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Operation><JobParam><Transcode><Video><Codec>H.264</Codec><Width>wide</Width><Height>720</Height>" +
          "</Video></Transcode></JobParam></Operation>"
      )
    ))))

  it.effect("names the element of a time that does not decode", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(reasonOf(result)).toBe(
        `JobsDetail of ${jobId}: CreationTime "2022-02-30T12:00:00+0800" is not a valid date and time`
      )
    }).pipe(Effect.provide(stubLayer(() => detailWith("<CreationTime>2022-02-30T12:00:00+0800</CreationTime>")))))

  it.effect("drops an echoed time that does not decode", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome
      expect(sent).toHaveLength(1)
      expect(Either.map(result, (job) => job.operation)).toStrictEqual(Either.right({
        timeInterval: { start: new Date("2022-02-01T04:00:00Z") },
        tag: "Transcode"
      }))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Operation><TimeInterval><Start>2022-02-01T12:00:00+0800</Start><End>yesterday</End></TimeInterval>" +
          "<Tag>Transcode</Tag></Operation>"
      )
    ))))

  it.effect("still fails on a bad CI time", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome
      expect(sent).toHaveLength(1)
      expect(reasonOf(result)).toBe(
        `JobsDetail of ${jobId}: StartTime "2022-13-01T12:00:00+0800" is not a valid date and time`
      )
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<StartTime>2022-13-01T12:00:00+0800</StartTime>" +
          "<Operation><JobParam><Snapshot><IsCheckBlack>maybe</IsCheckBlack></Snapshot></JobParam></Operation>"
      )
    ))))

  it.effect("fails on a job without a State", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(reasonOf(result)).toBe(`JobsDetail of ${jobId} has no State`)
    }).pipe(Effect.provide(stubLayer(() => detailWith("", "")))))

  it.effect("reads the operation the stub echoes for everyFieldRequest", () =>
    Effect.gen(function*() {
      const { result } = yield* describeOutcome
      expect(Either.map(result, (job) => job.operation)).toStrictEqual(Either.right(everyFieldOperation))
    }).pipe(Effect.provide(stubLayer(() => detailWith(everyFieldOperationXml)))))
})

describe("echoed Operation values", () => {
  /** A describe response whose Operation contains only `<JobParam><Snapshot>` with `snapshot`. */
  const snapshotEcho = (snapshot: string) =>
    detailWith(`<Operation><JobParam><Snapshot><Mode>Interval</Mode>${snapshot}</Snapshot></JobParam></Operation>`)

  const snapshotOf = (result: Either.Either<BatchJob.BatchJob, unknown>) =>
    Either.map(result, (job) => job.operation?.jobParam?.snapshot)

  const numbers: ReadonlyArray<readonly [string, number]> = [
    ["+1280", 1280],
    [" 25 ", 25],
    ["\n30\t", 30],
    [".5", 0.5],
    ["1e-7", 1e-7],
    ["2E3", 2000],
    ["-0.25", -0.25],
    ["0x10", 16]
  ]
  for (const [text, value] of numbers) {
    it.effect(`reads number ${JSON.stringify(text)} as ${value}`, () =>
      Effect.gen(function*() {
        const { result, sent } = yield* describeOutcome
        expect(sent).toHaveLength(1)
        expect(snapshotOf(result)).toStrictEqual(Either.right({ mode: "Interval", start: value }))
      }).pipe(Effect.provide(stubLayer(() => snapshotEcho(`<Start>${text}</Start>`)))))
  }

  const booleans: ReadonlyArray<readonly [string, boolean]> = [
    ["1", true],
    ["t", true],
    ["T", true],
    ["TRUE", true],
    ["true", true],
    ["True", true],
    ["0", false],
    ["f", false],
    ["F", false],
    ["FALSE", false],
    ["false", false],
    ["False", false]
  ]
  for (const [text, value] of booleans) {
    it.effect(`reads bool ${JSON.stringify(text)} as ${value}`, () =>
      Effect.gen(function*() {
        const { result, sent } = yield* describeOutcome
        expect(sent).toHaveLength(1)
        expect(snapshotOf(result)).toStrictEqual(Either.right({ mode: "Interval", isCheckBlack: value }))
      }).pipe(Effect.provide(stubLayer(() => snapshotEcho(`<IsCheckBlack>${text}</IsCheckBlack>`)))))
  }

  const unreadable: ReadonlyArray<readonly [string, string]> = [
    ["Start", "50%"],
    ["Start", " "],
    ["Start", "1,5"],
    ["Start", "Infinity"],
    ["Start", "NaN"],
    ["IsCheckBlack", "yes"],
    ["IsCheckBlack", "tRUE"],
    ["IsCheckBlack", " true"],
    ["IsCheckBlack", "2"]
  ]
  for (const [element, text] of unreadable) {
    it.effect(`drops ${element} ${JSON.stringify(text)} and keeps the rest`, () =>
      Effect.gen(function*() {
        const { result, sent } = yield* describeOutcome
        expect(sent).toHaveLength(1)
        expect(snapshotOf(result)).toStrictEqual(Either.right({ mode: "Interval", count: 3 }))
      }).pipe(Effect.provide(stubLayer(() => snapshotEcho(`<${element}>${text}</${element}><Count>3</Count>`)))))
  }

  it.effect("drops every unreadable value in one echo", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* describeOutcome
      expect(sent).toHaveLength(1)
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Running",
        operation: {
          jobLevel: 2,
          tag: "Snapshot",
          jobParam: {
            snapshot: { mode: "Interval", isCheckCount: true },
            otherElements: { Watermark: { Type: "Text" } }
          },
          output: {
            region: "ap-guangzhou",
            streamExtract: [{ object: "v.mp4" }, { index: 1, object: "a.m4a" }]
          }
        }
      })))
    }).pipe(Effect.provide(stubLayer(() =>
      detailWith(
        "<Operation><JobLevel>2</JobLevel><Tag>Snapshot</Tag><JobParam><Snapshot><Mode>Interval</Mode>" +
          "<Width>wide</Width><IsCheckCount>True</IsCheckCount><IsCheckBlack>maybe</IsCheckBlack></Snapshot>" +
          "<Watermark><Type>Text</Type></Watermark></JobParam><Output><Region>ap-guangzhou</Region>" +
          "<StreamExtract><Index>first</Index><Object>v.mp4</Object></StreamExtract>" +
          "<StreamExtract><Index>1</Index><Object>a.m4a</Object></StreamExtract></Output></Operation>"
      )
    ))))

  it.effect("logs each dropped value at debug level", () =>
    Effect.gen(function*() {
      const entries: Array<{ readonly level: string; readonly message: unknown; readonly annotations: unknown }> = []
      const logger = Logger.make(({ annotations, logLevel, message }) => {
        entries.push({ level: logLevel.label, message, annotations: Object.fromEntries(annotations) })
      })
      yield* TestClock.setTime(fixtureTimeMillis)
      const job = yield* BatchJobs.describe(jobId).pipe(
        Logger.withMinimumLogLevel(LogLevel.Debug),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      )

      expect(job.operation).toStrictEqual({ jobParam: { snapshot: { mode: "Interval" } } })
      expect(entries.filter((entry) => String(entry.message).includes("Operation"))).toStrictEqual([
        {
          level: "DEBUG",
          message: ["Dropped an echoed Operation value that does not decode"],
          annotations: {
            jobId,
            element: "Operation.JobParam.Snapshot.IsCheckBlack",
            reason: "\"maybe\" is not true or false",
            requestId: "REQ-ECHO"
          }
        }
      ])
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(
        `<Response><JobsDetail><JobId>${jobId}</JobId><State>Running</State><Operation><JobParam><Snapshot>` +
          "<Mode>Interval</Mode><IsCheckBlack>maybe</IsCheckBlack></Snapshot></JobParam></Operation></JobsDetail>" +
          "</Response>",
        "REQ-ECHO"
      )
    ))))

  it.effect("create keeps an unreadable echo", () =>
    Effect.gen(function*() {
      const { result, sent } = yield* createOutcome({
        type: "Job",
        name: "n",
        input: { prefix: "p/" },
        tag: "Snapshot",
        jobParam: { Snapshot: { Mode: "Interval", IsCheckBlack: "maybe" } }
      })
      expect(sent).toHaveLength(1)
      expect(result).toStrictEqual(Either.right(batchJob({
        jobId,
        state: "Submitted",
        operation: { tag: "Snapshot", jobParam: { snapshot: { mode: "Interval" } } }
      })))
    }).pipe(Effect.provide(stubLayer(() =>
      xmlOk(
        `<Response><JobsDetail><JobId>${jobId}</JobId><State>Submitted</State><Operation><Tag>Snapshot</Tag>` +
          "<JobParam><Snapshot><Mode>Interval</Mode><IsCheckBlack>maybe</IsCheckBlack></Snapshot></JobParam>" +
          "</Operation></JobsDetail></Response>"
      )
    ))))
})
