/**
 * Cancels one job with effect-cos over `FetchHttpClient`, as the README shows, and prints the
 * request id. The cold-start benchmark runs it and the bundle-size benchmark bundles it.
 *
 * Usage: node cancelOursFetch.cjs <endpoint>
 */
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const CiLive = CiClient.layer({
  bucket: "examplebucket-1250000000",
  region: "ap-guangzhou",
  credentials: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("SECRETKEYEXAMPLE") },
  endpoint: process.argv[2]
}).pipe(Layer.provide(FetchHttpClient.layer))

BatchJobs.cancel("b0123456789abcdef0123456789abcdef0").pipe(
  Effect.provide(CiLive),
  Effect.runPromise
).then(({ requestId }) => console.log(`cancelled, request id ${requestId}`))
