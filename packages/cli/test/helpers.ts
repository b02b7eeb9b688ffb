import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Net from "node:net"
import * as Path from "node:path"

// `cos-ci` runs as a real child process against the emulator on a loopback port, so the tests
// check exactly what an operator gets: stdout, stderr and the exit code.

/** The executable the package's "bin" entry names. */
export const bin = Path.resolve(import.meta.dirname, "..", "bin", "cos-ci.mjs")

export const repositoryRoot = Path.resolve(import.meta.dirname, "..", "..", "..")

export interface Outcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const credentials = { COS_SECRET_ID: "AKIDEXAMPLE", COS_SECRET_KEY: "SECRETKEYEXAMPLE" }

export const bucketArgs = ["--bucket", "examplebucket-1250000000", "--region", "ap-guangzhou"]

/** Every child process is killed after this long, so a hanging `cos-ci` fails its test. */
const childTimeoutMillis = 30_000

export interface RunOptions {
  /** The whole environment of the child. Defaults to the placeholder credentials. */
  readonly env?: Record<string, string> | undefined
  /** Run `pnpm -s cos-ci` from the repository root, as the README shows it. */
  readonly viaPnpm?: boolean | undefined
  /** Written to the child's stdin, which is then closed. */
  readonly stdin?: string | undefined
}

// Only what the CLI needs: no COS_* variables leak in from the machine running the tests.
const childEnv = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env })

/** Runs `cos-ci` with stdin, stdout and stderr on pipes. */
export const cosCi = (args: ReadonlyArray<string>, options: RunOptions = {}) =>
  Effect.async<Outcome>((resume) => {
    const [file, fileArgs] = options.viaPnpm ? ["pnpm", ["-s", "cos-ci", ...args]] : [process.execPath, [bin, ...args]]
    const child = ChildProcess.execFile(
      file,
      fileArgs,
      {
        cwd: repositoryRoot,
        env: childEnv(options.env ?? credentials),
        timeout: childTimeoutMillis,
        maxBuffer: 1 << 24
      },
      (error, stdout, stderr) => {
        let code: number | null = 0
        if (error !== null) {
          // A process killed by a signal or the timeout has no exit code.
          code = typeof error.code === "number" ? error.code : null
        }
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
    // cos-ci may stop reading stdin early, such as past the size limit of --from-file.
    child.stdin?.on("error", () => {})
    child.stdin?.end(options.stdin ?? "")
    return Effect.sync(() => child.kill())
  })

/**
 * Runs `cos-ci` with the read end of its stdout or stderr closed at once, as a reader such as
 * `head -c 10` closes it once it has read enough, so that every write to that stream fails with
 * EPIPE. Returns what arrived on the other stream, and `""` for the closed one.
 */
export const cosCiWithClosedPipe = (args: ReadonlyArray<string>, closed: "stdout" | "stderr") =>
  Effect.async<Outcome>((resume) => {
    const child = ChildProcess.spawn(process.execPath, [bin, ...args], {
      cwd: repositoryRoot,
      env: childEnv(credentials),
      timeout: childTimeoutMillis,
      stdio: ["ignore", "pipe", "pipe"]
    })
    child[closed].destroy()
    const open = closed === "stdout" ? child.stderr : child.stdout
    let text = ""
    open.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8")
    })
    child.on(
      "close",
      (code) =>
        resume(
          Effect.succeed(closed === "stdout" ? { code, stdout: "", stderr: text } : { code, stdout: text, stderr: "" })
        )
    )
    return Effect.sync(() => child.kill())
  })

/** Whether util-linux `script`, which runs a command on a pseudo-terminal, is installed. */
export const hasScript = ChildProcess.spawnSync("script", ["--version"]).status === 0

const shellQuote = (arg: string) => `'${arg.replace(/'/g, "'\\''")}'`

/**
 * Runs `cos-ci` on a pseudo-terminal through `script`, so that stdin, stdout and stderr are all
 * terminals, and types `answer` once the output contains `prompt`. The terminal merges stdout and
 * stderr and ends lines with `\r\n`.
 */
export const cosCiOnTerminal = (
  args: ReadonlyArray<string>,
  dialog: { readonly prompt: string; readonly answer: string }
) =>
  Effect.async<{ readonly code: number | null; readonly output: string }>((resume) => {
    const command = [process.execPath, bin, ...args].map(shellQuote).join(" ")
    const child = ChildProcess.spawn("script", ["-qec", command, "/dev/null"], {
      cwd: repositoryRoot,
      env: childEnv(credentials),
      timeout: childTimeoutMillis
    })
    let output = ""
    let answered = false
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8")
      if (!answered && output.includes(dialog.prompt)) {
        answered = true
        child.stdin.write(dialog.answer)
      }
    })
    child.on("close", (code) => resume(Effect.succeed({ code, output })))
    return Effect.sync(() => child.kill())
  })

/** Finds a loopback port with nothing listening on it. */
export const closedPort = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})
