import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Tracer from "effect/Tracer"
import * as Util from "node:util"
import { secretKey, sessionToken } from "./matrix.js"

// Captures everything an operation writes to logs and traces, so a test can search it for secrets.

/** What must never appear in an error, a log line, a span or the CLI's output. */
export const forbidden: ReadonlyArray<string> = [secretKey, sessionToken, "q-signature="]

/** Returns the forbidden strings that `text` contains. */
export const leaksIn = (text: string): ReadonlyArray<string> => forbidden.filter((secret) => text.includes(secret))

/** Every way an error is commonly turned into text: its message, toString, JSON, console output and a Cause. */
export const renderings = (error: unknown): ReadonlyArray<string> => [
  error instanceof Error ? error.message : "",
  String(error),
  JSON.stringify(error) ?? "",
  Util.inspect(error, { depth: 10 }),
  Cause.pretty(Cause.fail(error))
]

export interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  /** Event names and attributes, and the failure the span ended with, as text. */
  readonly notes: Array<string>
}

/** Creates a logger that keeps every entry, in logfmt and in JSON, and a tracer that keeps every span. */
export const makeCapture = () => {
  const lines: Array<string> = []
  const spans: Array<RecordedSpan> = []

  const logger = Logger.make((options) => {
    lines.push(Logger.logfmtLogger.log(options), Logger.jsonLogger.log(options))
  })

  const tracer = Tracer.make({
    context: (run) => run(),
    span: (name, parent, context, links, startTime, kind) => {
      const recorded: RecordedSpan = { name, attributes: new Map(), notes: [] }
      spans.push(recorded)
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: recorded.attributes,
        links,
        sampled: true,
        kind,
        end: (_, exit) => {
          if (Exit.isFailure(exit)) {
            recorded.notes.push(Cause.pretty(exit.cause))
          }
        },
        attribute: (key, value) => {
          recorded.attributes.set(key, value)
        },
        event: (eventName, _, attributes) => {
          recorded.notes.push(eventName, JSON.stringify(attributes ?? {}))
        },
        addLinks: () => {}
      }
      return span
    }
  })

  /** Runs an effect with this logger at the most verbose level and this tracer. */
  const instrument = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    effect.pipe(
      Logger.withMinimumLogLevel(LogLevel.All),
      Effect.provide(Layer.merge(Logger.replace(Logger.defaultLogger, logger), Layer.setTracer(tracer)))
    )

  /** Everything captured, as text to search. */
  const texts = (): ReadonlyArray<string> => [
    ...lines,
    ...spans.flatMap((span) => [
      span.name,
      ...[...span.attributes].map(([key, value]) => `${key}=${Util.inspect(value, { depth: 10 })}`),
      ...span.notes
    ])
  ]

  return { lines, spans, instrument, texts }
}

/** The attributes of the HTTP client's own spans. */
export const httpSpanAttributes = (spans: ReadonlyArray<RecordedSpan>) =>
  spans.filter((span) => span.name.startsWith("http.client")).map((span) => span.attributes)
