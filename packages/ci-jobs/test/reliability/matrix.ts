import type * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as CiClient from "@effect-cos/http/CiClient"
import type * as CiError from "@effect-cos/http/CiError"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"

// The fault matrix: one cancel against the emulator per fault, over real loopback sockets. The
// tests in this folder and `pnpm reliability`, which writes docs/reliability.md, both run it.

/** Credentials whose secret parts are distinctive, so a test can search any output for them. */
export const secretId = "AKIDRELIABILITYTEST"
export const secretKey = "SecretKey-9f3c1e7a-never-print-me"
export const sessionToken = "SessionToken-5b2d8c4e-never-print-me"

export const credential: Emulator.Credential = {
  secretId,
  secretKey: Redacted.make(secretKey),
  sessionToken: Redacted.make(sessionToken)
}

export const bucket = "examplebucket-1250000000"
export const region = "ap-guangzhou"

/** The per-attempt timeout of every case. */
export const timeoutMillis = 1_000

/** Retries after the first attempt, so a retryable fault that persists is sent this many times plus one. */
export const retries = 2

export const retrySpacingMillis = 20

export const retrySchedule = Schedule.spaced(retrySpacingMillis).pipe(Schedule.intersect(Schedule.recurs(retries)))

/** Room for connecting, signing and a loaded machine, on top of the waits a case is expected to make. */
export const slackMillis = 3_000

/**
 * An outcome reduced to its tag and the fields that tell the cases apart. Request ids, trace ids and
 * transport descriptions differ between runs, so they are left out.
 */
export type Outcome =
  | { readonly _tag: "Success" }
  | { readonly _tag: "CiServiceError"; readonly status: number; readonly code: string }
  | {
    readonly _tag: "CiHttpError"
    readonly status: number
    readonly contentType: string | undefined
    readonly bodyPreview: string
  }
  | { readonly _tag: "CiTransportError"; readonly reason: CiError.TransportFailure }
  | { readonly _tag: "Other"; readonly error: string }

export interface FaultCase {
  /** The fault as the English table names it. */
  readonly fault: string
  /** The same, for the Chinese table. */
  readonly faultZh: string
  /** Injected into every request of the cancel. */
  readonly inject?: Emulator.Fault | undefined
  /** How far the emulator's clock is ahead of the real one, negative when it is behind. */
  readonly clockOffsetMillis?: number | undefined
  /** A SecretKey the emulator expects instead of {@link secretKey}, so every signature mismatches. */
  readonly emulatorSecretKey?: string | undefined
  readonly expected: Outcome
  /** Requests the emulator receives: attempts, plus the re-send after a clock-skew correction. */
  readonly attempts: number
  /** Attempts that end only when the per-attempt timeout fires. */
  readonly timedOutAttempts: number
}

const xmlHeaders = (requestId: string) => ({ "content-type": "application/xml", "x-ci-request-id": requestId })

const htmlBody = "<html><head><title>502 Bad Gateway</title></head><body><center>502 Bad Gateway</center></body></html>"

const allAttempts = retries + 1

/** Every fault, in the order of the published table. */
export const faultCases: ReadonlyArray<FaultCase> = [
  {
    fault: "none",
    faultZh: "无",
    expected: { _tag: "Success" },
    attempts: 1,
    timedOutAttempts: 0
  },
  {
    fault: "503 `SlowDown`",
    faultZh: "503 `SlowDown`",
    inject: {
      _tag: "Reply",
      status: 503,
      headers: xmlHeaders("REQ-SLOWDOWN"),
      body: TestHttpClient.errorDocument("SlowDown", "Please reduce your request rate.", "REQ-SLOWDOWN")
    },
    expected: { _tag: "CiServiceError", status: 503, code: "SlowDown" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "500 `InternalError`",
    faultZh: "500 `InternalError`",
    inject: {
      _tag: "Reply",
      status: 500,
      headers: xmlHeaders("REQ-INTERNAL"),
      body: TestHttpClient.errorDocument("InternalError", "We encountered an internal error.", "REQ-INTERNAL")
    },
    expected: { _tag: "CiServiceError", status: 500, code: "InternalError" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "502 with an HTML body",
    faultZh: "502，HTML 响应体",
    inject: {
      _tag: "Reply",
      status: 502,
      headers: { "content-type": "text/html", "x-cos-request-id": "REQ-PROXY" },
      body: htmlBody
    },
    expected: { _tag: "CiHttpError", status: 502, contentType: "text/html", bodyPreview: htmlBody },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "503 with an empty body",
    faultZh: "503，空响应体",
    inject: { _tag: "Reply", status: 503, headers: { "x-ci-request-id": "REQ-EMPTY" } },
    expected: { _tag: "CiHttpError", status: 503, contentType: undefined, bodyPreview: "" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "connection reset before the headers",
    faultZh: "响应头之前连接被重置",
    inject: { _tag: "Reset" },
    expected: { _tag: "CiTransportError", reason: "ConnectionReset" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "connection reset after the headers, mid-body",
    faultZh: "响应头之后、响应体中途连接被重置",
    inject: {
      _tag: "ResetMidBody",
      status: 200,
      headers: xmlHeaders("REQ-RESET-BODY"),
      body: "<Response><RequestId>REQ-RESET-BODY</RequestId></Response>"
    },
    expected: { _tag: "CiTransportError", reason: "ConnectionReset" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "no answer at all",
    faultZh: "完全没有应答",
    inject: { _tag: "Hang" },
    expected: { _tag: "CiTransportError", reason: "Timeout" },
    attempts: allAttempts,
    timedOutAttempts: allAttempts
  },
  {
    fault: "body stalls halfway",
    faultZh: "响应体发送一半后停止",
    inject: {
      _tag: "StallMidBody",
      status: 200,
      headers: xmlHeaders("REQ-STALL"),
      body: "<Response><RequestId>REQ-STALL</RequestId></Response>"
    },
    expected: { _tag: "CiTransportError", reason: "Timeout" },
    attempts: allAttempts,
    timedOutAttempts: allAttempts
  },
  {
    fault: "200 with an `<Error>` document",
    faultZh: "200 携带 `<Error>` 文档",
    inject: {
      _tag: "Reply",
      status: 200,
      headers: xmlHeaders("REQ-ERROR-200"),
      body: TestHttpClient.errorDocument("InternalError", "We encountered an internal error.", "REQ-ERROR-200")
    },
    expected: { _tag: "CiServiceError", status: 200, code: "InternalError" },
    attempts: allAttempts,
    timedOutAttempts: 0
  },
  {
    fault: "404 `NoSuchBucket`",
    faultZh: "404 `NoSuchBucket`",
    inject: {
      _tag: "Reply",
      status: 404,
      headers: xmlHeaders("REQ-NO-BUCKET"),
      body: TestHttpClient.errorDocument("NoSuchBucket", "The specified bucket does not exist.", "REQ-NO-BUCKET")
    },
    expected: { _tag: "CiServiceError", status: 404, code: "NoSuchBucket" },
    attempts: 1,
    timedOutAttempts: 0
  },
  {
    fault: "403 `SignatureDoesNotMatch` (wrong SecretKey)",
    faultZh: "403 `SignatureDoesNotMatch`（SecretKey 错误）",
    emulatorSecretKey: "SecretKey-the-emulator-expects",
    expected: { _tag: "CiServiceError", status: 403, code: "SignatureDoesNotMatch" },
    attempts: 1,
    timedOutAttempts: 0
  },
  {
    fault: "emulator clock an hour ahead",
    faultZh: "模拟器时钟快一小时",
    clockOffsetMillis: 3_600_000,
    expected: { _tag: "Success" },
    attempts: 2,
    timedOutAttempts: 0
  },
  {
    fault: "emulator clock an hour behind",
    faultZh: "模拟器时钟慢一小时",
    clockOffsetMillis: -3_600_000,
    expected: { _tag: "Success" },
    attempts: 2,
    timedOutAttempts: 0
  }
]

/** The maximum time a case may take: its timeouts and retry waits, plus {@link slackMillis}. */
export const timeBoundMillis = (faultCase: FaultCase): number =>
  faultCase.timedOutAttempts * timeoutMillis + (faultCase.attempts - 1) * retrySpacingMillis + slackMillis

/** The HTTP clients the matrix runs over. */
export const httpClients: ReadonlyArray<{ readonly name: string; readonly layer: Layer.Layer<HttpClient.HttpClient> }> =
  [
    { name: "fetch", layer: FetchHttpClient.layer },
    { name: "node:http", layer: NodeHttpClient.layer }
  ]

/** Reduces a cancel's result to its {@link Outcome}. */
export const outcomeOf = (result: Either.Either<BatchJob.CancelResult, BatchJobs.CancelError>): Outcome => {
  if (Either.isRight(result)) {
    return { _tag: "Success" }
  }
  const error = result.left
  switch (error._tag) {
    case "CiServiceError":
      return { _tag: error._tag, status: error.status, code: error.code }
    case "CiHttpError":
      return { _tag: error._tag, status: error.status, contentType: error.contentType, bodyPreview: error.bodyPreview }
    case "CiTransportError":
      return { _tag: error._tag, reason: error.reason }
    default:
      return { _tag: "Other", error: String(error) }
  }
}

/** What one run of a case observed. */
export interface CaseRun {
  readonly result: Either.Either<BatchJob.CancelResult, BatchJobs.CancelError>
  readonly outcome: Outcome
  /** Every request the emulator received during the cancel. */
  readonly requests: ReadonlyArray<Emulator.ReceivedRequest>
  /** The state of the cancelled job afterwards, as the emulator stores it. */
  readonly jobState: Emulator.JobState | undefined
  readonly elapsedMillis: number
}

/** Options of a client for the emulator at `endpoint`, with the matrix's timeout and retry schedule. */
export const clientOptions = (endpoint: string): CiClient.CiClientOptions => ({
  bucket,
  region,
  endpoint,
  credentials: credential,
  timeout: timeoutMillis,
  retrySchedule
})

/**
 * Runs one case on a fresh emulator: seeds a running job, injects the fault and cancels the job.
 * `instrument` wraps the cancel alone, for example to capture its logs and spans.
 */
export const runCase = (
  faultCase: FaultCase,
  httpClient: Layer.Layer<HttpClient.HttpClient>,
  instrument: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = (effect) => effect
): Effect.Effect<CaseRun, Emulator.EmulatorStartError> =>
  Effect.scoped(
    Effect.gen(function*() {
      const offset = faultCase.clockOffsetMillis ?? 0
      const emulator = yield* Emulator.make({
        now: () => Date.now() + offset,
        credentials: [
          faultCase.emulatorSecretKey === undefined ?
            credential :
            { ...credential, secretKey: Redacted.make(faultCase.emulatorSecretKey) }
        ]
      })
      const job = yield* emulator.seedJob({ state: "Running" })
      if (faultCase.inject !== undefined) {
        yield* emulator.injectFault({ fault: faultCase.inject, times: Infinity })
      }

      const client = CiClient.layer(clientOptions(emulator.url)).pipe(Layer.provide(httpClient), Layer.orDie)
      const started = Date.now()
      const result = yield* instrument(Effect.either(BatchJobs.cancel(job.jobId))).pipe(Effect.provide(client))
      const elapsedMillis = Date.now() - started

      const stored = yield* emulator.getJob(job.jobId)
      return {
        result,
        outcome: outcomeOf(result),
        requests: yield* emulator.requests,
        jobState: Option.getOrUndefined(Option.map(stored, (value) => value.state)),
        elapsedMillis
      }
    })
  )
