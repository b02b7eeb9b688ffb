import * as ChildProcess from "node:child_process"
import * as Readline from "node:readline"

/** A child node process that the benchmark talks to one line at a time. */
export interface Worker {
  readonly pid: number
  /** Resolves with the next line the child prints, and rejects if it exits first. */
  readonly nextLine: (timeoutMillis?: number) => Promise<string>
  readonly send: (line: string) => void
  /** Resolves when the child has exited, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>
  readonly stderr: () => string
  /** Closes the child's standard input and waits for it to exit, ending it after `graceMillis`. */
  readonly close: (graceMillis?: number) => Promise<void>
}

/** Starts `node [nodeOptions] file [args]` with piped standard streams. */
export const startWorker = (
  file: string,
  args: ReadonlyArray<string>,
  nodeOptions: ReadonlyArray<string> = []
): Worker => {
  const child = ChildProcess.spawn(process.execPath, [...nodeOptions, file, ...args], {
    stdio: ["pipe", "pipe", "pipe"]
  })
  let stderr = ""
  child.stderr.setEncoding("utf8")
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk
  })

  const lines: Array<string> = []
  const waiting: Array<{ readonly resolve: (line: string) => void; readonly reject: (error: Error) => void }> = []
  let exited: Error | undefined
  const exitCode = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))

  Readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const next = waiting.shift()
    if (next === undefined) {
      lines.push(line)
    } else {
      next.resolve(line)
    }
  })
  child.on("exit", (code, signal) => {
    exited = new Error(`${file} ${args.join(" ")} exited (${signal ?? code}): ${stderr.trim() || "no output"}`)
    for (const next of waiting.splice(0)) {
      next.reject(exited)
    }
  })

  return {
    pid: child.pid ?? -1,
    nextLine: (timeoutMillis = 600_000) => {
      const line = lines.shift()
      if (line !== undefined) {
        return Promise.resolve(line)
      }
      if (exited !== undefined) {
        return Promise.reject(exited)
      }
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill("SIGKILL")
          reject(new Error(`${file} printed nothing within ${timeoutMillis} ms`))
        }, timeoutMillis)
        waiting.push({
          resolve: (line) => {
            clearTimeout(timer)
            resolve(line)
          },
          reject: (error) => {
            clearTimeout(timer)
            reject(error)
          }
        })
      })
    },
    send: (line) => {
      child.stdin.write(`${line}\n`)
    },
    exited: exitCode,
    stderr: () => stderr,
    close: async (graceMillis = 10_000) => {
      child.stdin.end()
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMillis)
      await exitCode
      clearTimeout(timer)
    }
  }
}

/** Runs a child to completion and returns its last line of output. Fails unless it exits with 0. */
export const runWorker = async (
  file: string,
  args: ReadonlyArray<string>,
  nodeOptions: ReadonlyArray<string> = [],
  timeoutMillis = 600_000
): Promise<string> => {
  const worker = startWorker(file, args, nodeOptions)
  const timer = setTimeout(() => worker.close(0), timeoutMillis)
  const lines: Array<string> = []
  try {
    for (;;) {
      lines.push(await worker.nextLine(timeoutMillis))
    }
  } catch {
    // The child has exited.
  }
  const code = await worker.exited
  clearTimeout(timer)
  if (code !== 0 || lines.length === 0) {
    throw new Error(`${file} ${args.join(" ")} failed (exit code ${code}): ${worker.stderr().trim() || "no output"}`)
  }
  return lines[lines.length - 1]
}
