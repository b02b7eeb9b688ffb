import * as Effect from "effect/Effect"
import * as Readline from "node:readline"

/**
 * Whether an answer to a `[y/N]` question is yes. Anything else, an empty line included, is no.
 *
 * @internal
 */
export const isYes = (answer: string): boolean => /^y(?:es)?$/i.test(answer.trim())

/**
 * Asks a yes/no question on the terminal and returns whether the answer was yes. End of input
 * (Ctrl+D) counts as no, and Ctrl+C interrupts the command, which then exits with 130.
 *
 * The question goes to stderr, not stdout, so that it stays out of output redirected to a file.
 * Call this only when stdin is a terminal.
 *
 * @internal
 */
export const confirm = (question: string): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    const readline = Readline.createInterface({ input: process.stdin, output: process.stderr })
    let answered = false
    const answer = (effect: Effect.Effect<boolean>) => {
      if (!answered) {
        answered = true
        readline.close()
        resume(effect)
      }
    }
    readline.on("SIGINT", () => {
      process.stderr.write("\n")
      answer(Effect.interrupt)
    })
    readline.on("close", () => answer(Effect.succeed(false)))
    readline.question(question, (line) => answer(Effect.succeed(isYes(line))))
    return Effect.sync(() => readline.close())
  })
