import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { Output, terminal } from "./output.js"

const barWidth = 30

/**
 * Renders one frame of the progress bar, such as `Cancelling [#########---------------------] 12/40`.
 *
 * @internal
 */
export const renderProgressBar = (label: string, done: number, total: number): string => {
  const filled = total === 0 ? barWidth : Math.floor((Math.min(done, total) / total) * barWidth)
  return `${label} [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${done}/${total}`
}

// Carriage return, then erase to the end of the line: the next frame replaces the previous one.
const redraw = (frame: string) => `\r${frame}\u001b[K`

/** @internal */
export interface Progress {
  /** Counts one finished item and redraws the bar. */
  readonly advance: Effect.Effect<void>
  /** Erases the bar, so that the lines printed next start at the left edge. */
  readonly finish: Effect.Effect<void>
}

const noProgress: Progress = { advance: Effect.void, finish: Effect.void }

/**
 * A progress bar on stderr when stderr is a terminal and there is more than one item. Otherwise
 * it prints nothing, so that a log or a pipe gets only the result lines.
 *
 * @internal
 */
export const makeProgress = (label: string, total: number): Effect.Effect<Progress> =>
  Effect.gen(function*() {
    const { stderr } = yield* terminal
    if (!stderr || total < 2) {
      return noProgress
    }
    const output = yield* Output
    const done = yield* Ref.make(0)
    output.stderr(redraw(renderProgressBar(label, 0, total)))
    return {
      advance: Effect.flatMap(
        Ref.updateAndGet(done, (count) => count + 1),
        (count) => Effect.sync(() => output.stderr(redraw(renderProgressBar(label, count, total))))
      ),
      finish: Effect.sync(() => output.stderr("\r\u001b[K"))
    }
  })
