import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { httpSpanAttributes, leaksIn, makeCapture, renderings } from "./capture.js"
import { faultCases, httpClients, runCase, timeBoundMillis } from "./matrix.js"

// Each fault of the matrix against a fresh emulator, over real loopback sockets, with fetch and with
// node:http. docs/reliability.md publishes the same cases. Every run also captures its logs at the
// most verbose level and its spans, and checks that neither they nor the error show a secret.

const testName = (fault: string) => fault.replaceAll("`", "")

const requestIdOf = (result: Either.Either<{ readonly requestId: string | undefined }, { readonly _tag: string }>) =>
  Either.isRight(result)
    ? result.right.requestId
    : (result.left as { readonly requestId?: string | undefined }).requestId

describe.concurrent("fault matrix", () => {
  for (const client of httpClients) {
    for (const faultCase of faultCases) {
      it.live(`${testName(faultCase.fault)} over ${client.name}`, () =>
        Effect.gen(function*() {
          const capture = makeCapture()
          const run = yield* runCase(faultCase, client.layer, capture.instrument)
          const succeeded = faultCase.expected._tag === "Success"

          expect(run.outcome).toStrictEqual(faultCase.expected)
          expect(run.requests).toHaveLength(faultCase.attempts)
          expect(run.requests.map((request) => request.method)).toStrictEqual(
            Array.from({ length: faultCase.attempts }, () => "PUT")
          )
          expect(run.jobState).toBe(succeeded ? "Cancel" : "Running")
          expect(run.elapsedMillis).toBeLessThan(timeBoundMillis(faultCase))
          if (faultCase.expected._tag !== "CiTransportError") {
            // Every response that arrived whole carried a request id, and the result keeps it.
            expect(requestIdOf(run.result)).toMatch(/^\S+$/)
          }

          // No secret in the error, however it is printed, in the log lines or in the spans.
          const headers = httpSpanAttributes(capture.spans)
          if (Either.isLeft(run.result)) {
            expect(renderings(run.result.left).flatMap(leaksIn)).toStrictEqual([])
          }
          expect(capture.texts().flatMap(leaksIn)).toStrictEqual([])
          // The capture saw every request and, when there were retries or a correction, the log lines.
          expect(headers).toHaveLength(faultCase.attempts)
          for (const attributes of headers) {
            expect(attributes.get("http.request.header.authorization")).toBe("<redacted>")
            expect(attributes.get("http.request.header.x-ci-security-token")).toBe("<redacted>")
          }
          if (faultCase.attempts > 1) {
            expect(capture.lines.length).toBeGreaterThan(0)
          }
        }))
    }
  }
})
