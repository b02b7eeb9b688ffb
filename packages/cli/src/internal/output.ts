import * as Options from "@effect/cli/Options"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"

/** @internal */
export type OutputFormat = "table" | "json"

/** @internal */
export const outputFormats: ReadonlyArray<OutputFormat> = ["table", "json"]

/** @internal */
export const outputOption = Options.choice("output", outputFormats).pipe(
  Options.withAlias("o"),
  Options.withDescription(
    "table: text for a person, with aligned columns. json: one JSON document on stdout and, when the command " +
      "fails, a JSON error object on stderr. The fields are listed in docs/cli.md. Default: table."
  ),
  Options.withDefault("table")
)

/** @internal */
export interface OutputService {
  /** Writes text to stdout as it is: the caller adds the line break. */
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/**
 * Writes to stdout or stderr unless the stream has closed, such as after the reader of a pipe left
 * (EPIPE). Node destroys the stream on that error, and a write to a destroyed stream fails again.
 *
 * @internal
 */
export const writeIfOpen = (stream: NodeJS.WriteStream, text: string): void => {
  if (stream.writable) {
    stream.write(text)
  }
}

/**
 * Lets `cos-ci` go on after the reader of stdout or stderr closes the pipe, as `head -c 10` does.
 * Without a listener, Node reports the EPIPE as an unhandled 'error' event and exits at once with a
 * stack trace, which could abandon a cancel half way. Output written after that is dropped, and the
 * command ends with its own exit code. Other errors of the streams are rethrown.
 *
 * Call it once, when the process starts.
 *
 * @internal
 */
export const ignoreClosedPipes = (): void => {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") {
        throw error
      }
    })
  }
}

/**
 * The destination of the results and messages of `cos-ci`: the process's stdout and stderr, unless
 * a caller such as the demo provides another service to read what was printed.
 *
 * `cos-ci` does not write through `Console`, because in JSON mode `Cli.run` silences the
 * `Console` that @effect/cli prints usage errors to, and reports them as JSON instead.
 *
 * @internal
 */
export class Output extends Context.Reference<Output>()("@effect-cos/cli/Output", {
  defaultValue: (): OutputService => ({
    stdout: (text) => writeIfOpen(process.stdout, text),
    stderr: (text) => writeIfOpen(process.stderr, text)
  })
}) {}

/** @internal */
export const printLine = (text: string): Effect.Effect<void> =>
  Effect.flatMap(Output, (output) => Effect.sync(() => output.stdout(`${text}\n`)))

/** @internal */
export const printErrorLine = (text: string): Effect.Effect<void> =>
  Effect.flatMap(Output, (output) => Effect.sync(() => output.stderr(`${text}\n`)))

/** @internal */
export const printLines = (lines: ReadonlyArray<string>): Effect.Effect<void> =>
  lines.length === 0 ? Effect.void : printLine(lines.join("\n"))

/** @internal */
export const printErrorLines = (lines: ReadonlyArray<string>): Effect.Effect<void> =>
  lines.length === 0 ? Effect.void : printErrorLine(lines.join("\n"))

/**
 * Formats JSON with two-space indents. JSON.stringify escapes only U+0000 to U+001F, so DEL and the
 * C1 controls, which some terminals obey, are escaped here too. The text stays valid JSON.
 *
 * @internal
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`
  )

/** Writes one JSON document, indented by two spaces, to stdout. @internal */
export const printJson = (value: unknown): Effect.Effect<void> => printLine(jsonText(value))

/** @internal */
export const printErrorJson = (value: unknown): Effect.Effect<void> => printErrorLine(jsonText(value))

/**
 * Whether stdin and stderr are terminals. The confirmation prompt needs stdin, and the progress
 * bar needs stderr, because stdout may be redirected to a file.
 *
 * @internal
 */
export const terminal = Effect.sync(() => ({
  stdin: process.stdin.isTTY === true,
  stderr: process.stderr.isTTY === true
}))
