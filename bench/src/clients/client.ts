/**
 * The interface every cancel client of the round-trip and memory benchmarks implements, and the
 * helpers the promise-based clients share. Each client lives in a module of its own, so that the
 * bundle of one client's worker contains no other client's code.
 */
import * as Signer from "@effect-cos/signer/Signer"
import * as Redacted from "effect/Redacted"
import { secretId, secretKey } from "../config.js"

/** The settings of one client run: how many workers, and when each takes its next job. */
export interface RunOptions {
  readonly concurrency: number
  /** Returns the next job id, or `undefined` when the run is over. */
  readonly nextJobId: () => string | undefined
  /** Called after each cancel with its latency in milliseconds. */
  readonly record: (millis: number) => void
}

export interface Client {
  readonly run: (options: RunOptions) => Promise<void>
  /** Cancels every job, at most `concurrency` at a time, as a program with a list of ids would. */
  readonly cancelAll: (jobIds: ReadonlyArray<string>, concurrency: number) => Promise<void>
  readonly close: () => Promise<void>
}

/** Makes a client for the server at `origin`. */
export type MakeClient = (origin: string) => Client

export const promisePool = async (options: RunOptions, cancel: (jobId: string) => Promise<unknown>): Promise<void> => {
  const worker = async () => {
    let jobId = options.nextJobId()
    while (jobId !== undefined) {
      const start = performance.now()
      await cancel(jobId)
      options.record(performance.now() - start)
      jobId = options.nextJobId()
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
}

/** A client whose cancel returns a promise, driven by a pool of `concurrency` async workers. */
export const pooled = (cancel: (jobId: string) => Promise<unknown>, close: () => Promise<void>): Client => ({
  run: (options) => promisePool(options, cancel),
  cancelAll: (jobIds, concurrency) => {
    let next = 0
    return promisePool({
      concurrency,
      nextJobId: () => (next < jobIds.length ? jobIds[next++] : undefined),
      record: () => {}
    }, cancel)
  },
  close
})

/**
 * Returns a valid Authorization for a job, made once per job id in a row: the floor and the
 * reference clients send one job id over and over in the round-trip benchmark, so they show what
 * the transport alone costs. The memory benchmark gives every request a new id, and they sign each.
 */
export const presigner = (origin: string): (jobId: string) => string => {
  const host = new URL(origin).host
  const secret = Redacted.make(secretKey)
  let lastJobId = ""
  let lastAuthorization = ""
  return (jobId) => {
    if (jobId !== lastJobId) {
      const now = Math.floor(Date.now() / 1000) - 1
      lastAuthorization = Signer.sign({
        method: "PUT",
        pathname: `/inventorytriggerjob/${jobId}`,
        query: { cancel: "" },
        headers: { host, "content-length": "0" },
        secretId,
        secretKey: secret,
        keyTime: { start: now, end: now + 3600 }
      })
      lastJobId = jobId
    }
    return lastAuthorization
  }
}
