import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { type Client, presigner, type RunOptions } from "./client.js"

/**
 * Makes a reference client without effect-cos: the Effect HttpClient of `NodeHttpClient.layerUndici`
 * alone, with an Authorization made once per job id. Its gap to effect-cos is the cost of CiClient
 * and BatchJobs, and its gap to `undici.request` the cost of Effect and @effect/platform.
 */
export const make = (origin: string): Client => {
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const authorizationFor = presigner(origin)

  const cancel = (jobId: string) =>
    Effect.flatMap(
      HttpClient.HttpClient,
      (client) =>
        client.execute(HttpClientRequest.put(`${origin}/inventorytriggerjob/${jobId}?cancel`, {
          headers: { authorization: authorizationFor(jobId), "content-length": "0" }
        }))
    ).pipe(
      Effect.flatMap((response) => response.arrayBuffer)
    )

  const worker = (options: RunOptions) =>
    Effect.gen(function*() {
      let jobId = options.nextJobId()
      while (jobId !== undefined) {
        const start = performance.now()
        yield* cancel(jobId)
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
      runtime.runPromise(Effect.forEach(jobIds, cancel, { concurrency, discard: true })),
    close: () => runtime.dispose()
  }
}
