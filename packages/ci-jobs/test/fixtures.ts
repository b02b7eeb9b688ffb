import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import type * as CiClient from "@effect-cos/http/CiClient"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"

export const ciHost = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"
export const jobId = "b0123456789abcdef0123456789abcdef0"
export const cancelUrl = `https://${ciHost}/inventorytriggerjob/${jobId}?cancel`

/** One second after 1700000000 (Tue, 14 Nov 2023 22:13:20 GMT), so signatures use the key time 1700000000;1700000900. */
export const fixtureTimeMillis = 1_700_000_001_000

export const v1Authorization =
  "q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900" +
  "&q-header-list=content-length;host&q-url-param-list=cancel&q-signature=d620db259e4ab008ea0c4e8966c9d47e6d9de151"

export const clientOptions: CiClient.CiClientOptions = {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("SECRETKEYEXAMPLE") }
}

export const stubLayer = (handler: TestHttpClient.Handler, overrides: Partial<CiClient.CiClientOptions> = {}) =>
  TestHttpClient.layerCiClient(handler, { ...clientOptions, ...overrides }).pipe(Layer.orDie)

/** Sets the TestClock to the fixture time, runs the effect in a fiber and moves the clock past every backoff. */
export const runWithClock = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(fixtureTimeMillis)
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust("10 minutes")
    return yield* Fiber.join(fiber)
  })

/** Cancels the fixture job and returns the outcome with every request the stub received. */
export const cancelOutcome = (id: string = jobId) =>
  Effect.gen(function*() {
    const result = yield* runWithClock(BatchJobs.cancel(id)).pipe(Effect.either)
    const sent = yield* TestHttpClient.requests
    return { result, sent }
  })

export const errorXml = TestHttpClient.errorDocument

export const parsedAuthorization = TestHttpClient.authorizationOf

/** A job with every optional field undefined, for exact comparisons of decoded jobs. */
export const batchJob = (
  fields: Partial<BatchJob.BatchJob> & Pick<BatchJob.BatchJob, "jobId" | "state">
): BatchJob.BatchJob => ({
  name: undefined,
  type: undefined,
  code: undefined,
  message: undefined,
  creationTime: undefined,
  startTime: undefined,
  endTime: undefined,
  progress: undefined,
  queueId: undefined,
  tag: undefined,
  input: { manifest: undefined, urlFile: undefined, prefix: undefined, object: undefined },
  userData: undefined,
  operation: undefined,
  ...fields
})

/**
 * An independent-node request that sets every field the request model has. Numbers include
 * fractions, text includes markup characters and edge spaces, and times are whole seconds, which
 * is all CI's time format keeps.
 */
export const everyFieldRequest: BatchJobs.CreateNodeJobRequest = {
  type: "Job",
  name: "every field",
  input: { prefix: "videos/" },
  timeInterval: { start: new Date("2022-02-01T04:00:00Z"), end: new Date("2022-05-01T04:00:00Z") },
  queueId: "p893bcda225bf4945a378da6662e81a89",
  userData: " <user> & data ",
  jobLevel: 2,
  callBackFormat: "JSON",
  callBackType: "TDMQ",
  callBack: "https://example.com/hook?a=1&b=2",
  callBackMqConfig: { mqMode: "Queue", mqRegion: "gz", mqName: "ci-callbacks" },
  tag: "Transcode",
  transcode: {
    container: { format: "mp4" },
    video: { codec: "H.264", width: 1280, height: 720, fps: 29.97, bitrate: 1500, crf: 23.5 },
    timeInterval: { start: 0.5, duration: 60 },
    audio: { codec: "aac", samplerate: 44100, bitrate: 128, channels: 2 },
    transConfig: {
      adjDarMethod: "scale",
      isCheckReso: "true",
      resoAdjMethod: "1",
      isCheckVideoBitrate: "true",
      videoBitrateAdjMethod: "0",
      isCheckAudioBitrate: "false",
      audioBitrateAdjMethod: "0",
      deleteMetadata: "true",
      isHdr2Sdr: "false"
    }
  },
  templateId: "t1460606b9752148c4ab182f55163ba7cd",
  watermarkTemplateIds: ["t1318c5f428d474afba1797f84091cbe22", "t1318c5f428d474afba1797f84091cbe23"],
  snapshot: {
    mode: "Interval",
    start: 1.5,
    timeInterval: 10,
    count: 3,
    width: 640,
    height: 360,
    ciParam: "imageMogr2/format/png",
    isCheckCount: true,
    isCheckBlack: false,
    blackLevel: 30,
    pixelBlackThreshold: 0,
    snapshotOutMode: "SnapshotAndSprite",
    spriteSnapshotConfig: {
      cellHeight: 90,
      cellWidth: 160,
      color: "AliceBlue",
      columns: 10,
      lines: 8,
      margin: 0,
      padding: 4
    }
  },
  // Two watermarks, because one repeated element reads back as a single value, not a list.
  jobParam: {
    Watermark: [{ Type: "Text", Text: { Text: "a&b" } }, { Type: "Text", Text: { Text: "c" } }],
    Segment: { Format: "hls" }
  },
  output: {
    region: "ap-guangzhou",
    bucket: "examplebucket-1250000000",
    object: "out/${InventoryTriggerJobId}.mp4",
    spriteObject: "sprite/${InventoryTriggerJobId}-${Number}.jpg",
    auObject: "audio/${InventoryTriggerJobId}.m4a",
    streamExtract: [{ index: 0, object: "streams/video.mp4" }, { index: 1, object: "streams/audio.m4a" }]
  },
  freeTranscode: "true"
}

/** The operation CI returns for {@link everyFieldRequest}: the request's fields, JobParam nested. */
export const everyFieldOperation: BatchJob.JobOperation = {
  timeInterval: everyFieldRequest.timeInterval,
  queueId: everyFieldRequest.queueId,
  userData: everyFieldRequest.userData,
  jobLevel: everyFieldRequest.jobLevel,
  callBackFormat: everyFieldRequest.callBackFormat,
  callBackType: everyFieldRequest.callBackType,
  callBack: everyFieldRequest.callBack,
  callBackMqConfig: everyFieldRequest.callBackMqConfig,
  tag: everyFieldRequest.tag,
  jobParam: {
    transcode: everyFieldRequest.transcode,
    templateId: everyFieldRequest.templateId,
    watermarkTemplateIds: everyFieldRequest.watermarkTemplateIds,
    snapshot: everyFieldRequest.snapshot,
    otherElements: everyFieldRequest.jobParam
  },
  output: everyFieldRequest.output,
  freeTranscode: everyFieldRequest.freeTranscode
}

/** A 200 response with an XML body and, when given, an `x-ci-request-id`. */
export const xmlOk = (body: string, requestId?: string) =>
  TestHttpClient.respond(200, {
    body,
    headers: {
      "content-type": "application/xml",
      ...(requestId === undefined ? {} : { "x-ci-request-id": requestId })
    }
  })

/** A describe or list response that contains one job in the given state. */
export const jobResponse = (id: string, state: string) =>
  xmlOk(
    `<Response><RequestId>REQ-${id}</RequestId><JobsDetail><JobId>${id}</JobId><State>${state}</State></JobsDetail></Response>`
  )

/** Returns the error of a failed result, for exact comparisons. */
export const failure = <E>(result: Either.Either<unknown, E>): E => {
  if (Either.isRight(result)) {
    throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  }
  return result.left
}
