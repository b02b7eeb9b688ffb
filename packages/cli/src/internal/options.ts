import * as Options from "@effect/cli/Options"
import * as Option from "effect/Option"

/**
 * Lets an option be given any number of times, none included, like `Options.repeated`, but shown
 * in brackets in the usage line of `--help`. @effect/cli 0.77 shows a repeated option without
 * brackets, so that it reads as required. Wrapping it in `Options.optional` adds the brackets, and
 * no occurrence still parses as an empty array.
 *
 * @internal
 */
export const optionalRepeated = <A>(self: Options.Options<A>): Options.Options<ReadonlyArray<A>> =>
  self.pipe(
    Options.repeated,
    Options.optional,
    Options.map(Option.getOrElse((): ReadonlyArray<A> => []))
  )
