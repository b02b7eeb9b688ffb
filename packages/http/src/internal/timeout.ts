import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/**
 * Fails with `onTimeout` when `effect` has not finished within `duration`, and interrupts it, which
 * aborts the request it is waiting for.
 *
 * `Effect.timeoutFail` races the effect against a sleep in a second fiber, and that race is the
 * largest single cost of a request to a fast server. On the live clock this runs the effect in one
 * forked fiber and interrupts it from a plain timer instead. Any other clock, such as a TestClock,
 * gets `Effect.timeoutFail`, so tests still control time.
 *
 * @internal
 */
export const timeoutFail = <A, E, R, E2>(
  effect: Effect.Effect<A, E, R>,
  duration: Duration.Duration,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> =>
  Effect.clockWith((clock) => {
    if (clock !== liveClock) {
      return Effect.timeoutFail(effect, { duration, onTimeout })
    }

    return Effect.uninterruptibleMask((restore) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(restore(effect))
        let timedOut = false
        const timer = setTimeout(() => {
          timedOut = true
          fiber.unsafeInterruptAsFork(FiberId.none)
        }, Math.ceil(Duration.toMillis(duration)))

        // If the caller is interrupted while waiting, the request is interrupted too, and waited for.
        const exit = yield* restore(Fiber.await(fiber)).pipe(
          Effect.onInterrupt(() => Effect.zipRight(Effect.sync(() => clearTimeout(timer)), Fiber.interrupt(fiber)))
        )
        clearTimeout(timer)

        if (timedOut && Exit.isInterrupted(exit)) {
          return yield* Effect.fail(onTimeout())
        }
        return yield* exit
      })
    )
  })
