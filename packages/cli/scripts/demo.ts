/**
 * The demo behind `pnpm demo`: starts the CI emulator on a free loopback port, seeds a running batch
 * job, cancels it with `BatchJobs.cancel` over real HTTP with a real signature, reads it back with
 * `BatchJobs.describe` and prints what happened.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as Emulator from "@effect-cos/emulator/Emulator"
import * as CiClient from "@effect-cos/http/CiClient"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"

const program = Effect.gen(function*() {
  const emulator = yield* Emulator.make()
  const [credential] = emulator.credentials
  yield* Console.log(`CI emulator listening on ${emulator.url}`)

  const seeded = yield* emulator.seedJob({ state: "Running", name: "demo-transcode" })
  yield* Console.log(`Seeded batch job ${seeded.jobId} in state ${seeded.state}`)

  const client = CiClient.layer({
    bucket: "examplebucket-1250000000",
    region: "ap-guangzhou",
    endpoint: emulator.url,
    credentials: { secretId: credential.secretId, secretKey: credential.secretKey }
  }).pipe(Layer.provide(FetchHttpClient.layer))

  const { job, requestId } = yield* Effect.gen(function*() {
    const { requestId } = yield* BatchJobs.cancel(seeded.jobId)
    const job = yield* BatchJobs.describe(seeded.jobId)
    return { job, requestId }
  }).pipe(Effect.provide(client))

  // The emulator verified the Authorization of both requests. Show what it received and returned.
  const requests = yield* emulator.requests
  for (const request of requests) {
    yield* Console.log(`emulator: ${request.method} ${request.url} -> ${request.status} (signature verified)`)
  }

  yield* Console.log(`Cancel request id: ${requestId ?? "(none)"}`)
  yield* Console.log(`Job ${job.jobId} is now in state: ${job.state}`)

  if (job.state !== "Cancel") {
    return yield* Effect.dieMessage(`expected state Cancel, got ${job.state}`)
  }
}).pipe(Effect.scoped)

NodeRuntime.runMain(program)
