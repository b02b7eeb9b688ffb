import type { BatchJob, BatchJobNotFound, BatchJobWaitTimeout, CancelResult } from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import type {
  CiCredentialsError,
  CiDecodeError,
  CiHttpError,
  CiInvalidInput,
  CiServiceError,
  CiTransportError
} from "@effect-cos/http/CiError"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as ConfigError from "effect/ConfigError"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Stream from "effect/Stream"

// These tests run at compile time: `pnpm check` fails when the public types drift.

type RequestErrors =
  | CiServiceError
  | CiHttpError
  | CiTransportError
  | CiDecodeError
  | CiInvalidInput
  | CiCredentialsError

const options: CiClient.CiClientOptions = {
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("SECRETKEYEXAMPLE") }
}

describe("public types", () => {
  it("CiClient.layer needs only an HttpClient", () => {
    expectTypeOf(CiClient.layer(options)).toEqualTypeOf<
      Layer.Layer<CiClient.CiClient, CiInvalidInput, HttpClient.HttpClient>
    >()
    expectTypeOf(CiClient.layer(options).pipe(Layer.provide(FetchHttpClient.layer))).toEqualTypeOf<
      Layer.Layer<CiClient.CiClient, CiInvalidInput, never>
    >()
    expectTypeOf(CiClient.layerConfig()).toEqualTypeOf<
      Layer.Layer<CiClient.CiClient, CiInvalidInput | ConfigError.ConfigError, HttpClient.HttpClient>
    >()
  })

  it("send fails only with the request errors", () => {
    expectTypeOf<CiClient.SendError>().toEqualTypeOf<RequestErrors>()
  })

  it("operations name their errors and need only CiClient", () => {
    expectTypeOf(BatchJobs.cancel).returns.toEqualTypeOf<
      Effect.Effect<CancelResult, RequestErrors, CiClient.CiClient>
    >()
    expectTypeOf(BatchJobs.describe).returns.toEqualTypeOf<
      Effect.Effect<BatchJob, RequestErrors | BatchJobNotFound, CiClient.CiClient>
    >()
    expectTypeOf(BatchJobs.create).returns.toEqualTypeOf<Effect.Effect<BatchJob, RequestErrors, CiClient.CiClient>>()
    expectTypeOf(BatchJobs.list).returns.toEqualTypeOf<
      Effect.Effect<BatchJobs.ListPage, RequestErrors, CiClient.CiClient>
    >()
    expectTypeOf(BatchJobs.listAll).returns.toEqualTypeOf<Stream.Stream<BatchJob, RequestErrors, CiClient.CiClient>>()
    expectTypeOf(BatchJobs.awaitJob).returns.toEqualTypeOf<
      Effect.Effect<BatchJob, RequestErrors | BatchJobNotFound | BatchJobWaitTimeout, CiClient.CiClient>
    >()
    expectTypeOf(BatchJobs.cancelMany).returns.toEqualTypeOf<
      Effect.Effect<ReadonlyArray<BatchJobs.CancelOutcome>, CiInvalidInput, CiClient.CiClient>
    >()
  })
})
