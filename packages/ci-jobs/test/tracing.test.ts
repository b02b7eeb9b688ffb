import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import type * as CiClient from "@effect-cos/http/CiClient"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { errorXml, jobId, runWithClock, stubLayer } from "./fixtures.js"

interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly parent: string | undefined
  ended: boolean
}

/** Builds a tracer that keeps every span it starts, so a test can read names, parents and attributes. */
const recordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let nextId = 0
  const tracer = Tracer.make({
    context: (run) => run(),
    span: (name, parent, context, links, _startTime, kind) => {
      const spanId = `span-${nextId++}`
      const recorded: RecordedSpan = {
        name,
        attributes: new Map(),
        parent: Option.getOrUndefined(Option.map(parent, (span) => span.spanId)),
        ended: false
      }
      spans.push(recorded)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime: 0n },
        attributes: recorded.attributes,
        links,
        sampled: true,
        kind,
        end: () => {
          recorded.ended = true
        },
        attribute: (key, value) => {
          recorded.attributes.set(key, value)
        },
        event: () => {},
        addLinks: () => {}
      }
      return span
    }
  })
  return { tracer, spans }
}

/** The id the recording tracer gave a span: spans are numbered in the order they started. */
const operationSpanId = (spans: ReadonlyArray<RecordedSpan>, span: RecordedSpan) => `span-${spans.indexOf(span)}`

describe("tracing", () => {
  it.effect("cancel runs in one span with the job, bucket, attempts and request id", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      yield* runWithClock(BatchJobs.cancel(jobId)).pipe(Effect.withTracer(tracer))

      const operation = spans.filter((span) => span.name === "BatchJobs.cancel")
      expect(operation).toHaveLength(1)
      expect(operation[0].ended).toBe(true)
      expect(operation[0].attributes.get("ci.job_id")).toBe(jobId)
      expect(operation[0].attributes.get("ci.bucket")).toBe("examplebucket-1250000000")
      expect(operation[0].attributes.get("ci.region")).toBe("ap-guangzhou")
      expect(operation[0].attributes.get("ci.attempts")).toBe(2)
      expect(operation[0].attributes.get("ci.request_id")).toBe("REQ-OK")
    }).pipe(Effect.provide(stubLayer(TestHttpClient.sequence(
      TestHttpClient.respond(503),
      TestHttpClient.respond(200, { headers: { "x-ci-request-id": "REQ-OK" } })
    )))))

  it.effect("HTTP spans hang under the operation span and hide credentials", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      yield* runWithClock(BatchJobs.cancel(jobId)).pipe(Effect.withTracer(tracer))

      const operation = spans.find((span) => span.name === "BatchJobs.cancel")
      const http = spans.filter((span) => span.name.startsWith("http.client"))
      expect(http).toHaveLength(1)
      expect(operation).toBeDefined()
      expect(http[0].parent).toBe(operationSpanId(spans, operation!))

      const values = [...http[0].attributes.values()].map(String)
      expect(values.some((value) => value.includes("q-signature"))).toBe(false)
      expect(values.some((value) => value.includes("TOKEN-SECRET"))).toBe(false)
      expect(http[0].attributes.get("http.request.header.x-ci-security-token")).toBe("<redacted>")
    }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), {
      credentials: {
        secretId: "AKIDEXAMPLE",
        secretKey: Redacted.make("SECRETKEYEXAMPLE"),
        sessionToken: Redacted.make("TOKEN-SECRET")
      }
    }))))

  it.effect("sends CI no trace propagation headers", () =>
    Effect.gen(function*() {
      const { tracer } = recordingTracer()
      yield* runWithClock(BatchJobs.cancel(jobId)).pipe(Effect.withTracer(tracer))
      const [request] = yield* TestHttpClient.requests
      expect(Object.keys(request.headers).filter((name) => name === "traceparent" || name.startsWith("b3")))
        .toStrictEqual([])
    }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))))

  it.effect("a failed cancel still ends its span with the attempts made", () =>
    Effect.gen(function*() {
      const { spans, tracer } = recordingTracer()
      yield* runWithClock(Effect.either(BatchJobs.cancel(jobId))).pipe(Effect.withTracer(tracer))

      const operation = spans.filter((span) => span.name === "BatchJobs.cancel")
      expect(operation).toHaveLength(1)
      expect(operation[0].ended).toBe(true)
      expect(operation[0].attributes.get("ci.attempts")).toBe(1)
    }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(403, { body: errorXml("AccessDenied", "no") })))))
})

describe("span names", () => {
  const job = (state: string) =>
    TestHttpClient.respond(200, {
      body: `<Response><JobsDetail><JobId>${jobId}</JobId><State>${state}</State></JobsDetail></Response>`
    })

  const operations: ReadonlyArray<readonly [string, Effect.Effect<unknown, unknown, CiClient.CiClient>]> = [
    ["BatchJobs.describe", BatchJobs.describe(jobId)],
    ["BatchJobs.create", BatchJobs.create({ type: "Workflow", name: "n", input: { prefix: "p/" }, workflowIds: "w1" })],
    ["BatchJobs.list", BatchJobs.list({ size: 10 })],
    ["BatchJobs.listAll", Stream.runDrain(BatchJobs.listAll({ size: 10 }))],
    ["BatchJobs.awaitJob", BatchJobs.awaitJob(jobId)],
    ["BatchJobs.cancelMany", BatchJobs.cancelMany([jobId])]
  ]

  for (const [name, operation] of operations) {
    it.effect(`${name} runs in a span of that name with bucket and region`, () =>
      Effect.gen(function*() {
        const { spans, tracer } = recordingTracer()
        yield* runWithClock(Effect.either(operation)).pipe(Effect.withTracer(tracer))
        const span = spans.find((recorded) => recorded.name === name)
        expect(span?.attributes.get("ci.bucket")).toBe("examplebucket-1250000000")
        expect(span?.attributes.get("ci.region")).toBe("ap-guangzhou")
      }).pipe(Effect.provide(stubLayer(() => job("Success")))))
  }
})
