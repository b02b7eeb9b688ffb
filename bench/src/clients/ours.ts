import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { bucket, region, secretId, secretKey } from "../config.js"
import type { Client, MakeClient, RunOptions } from "./client.js"

/** effect-cos: `BatchJobs.cancel` over the HttpClient layer a user picked. */
export const makeOurs = (httpClient: Layer.Layer<HttpClient.HttpClient>): MakeClient => (origin: string): Client => {
  const runtime = ManagedRuntime.make(
    CiClient.layer({
      bucket,
      region,
      credentials: { secretId, secretKey: Redacted.make(secretKey) },
      endpoint: origin
    }).pipe(Layer.provide(httpClient), Layer.orDie)
  )

  const worker = (options: RunOptions) =>
    Effect.gen(function*() {
      let jobId = options.nextJobId()
      while (jobId !== undefined) {
        const start = performance.now()
        yield* BatchJobs.cancel(jobId)
        options.record(performance.now() - start)
        jobId = options.nextJobId()
      }
    })

  return {
    run: (options) =>
      runtime.runPromise(
        Effect.all(Array.from({ length: options.concurrency }, () => worker(options)), {
          concurrency: "unbounded",
          discard: true
        })
      ),
    cancelAll: (jobIds, concurrency) =>
      runtime.runPromise(Effect.forEach(jobIds, (id) => BatchJobs.cancel(id), { concurrency, discard: true })),
    close: () => runtime.dispose()
  }
}
