import type * as Usage from "@effect/cli/Usage"
import * as Option from "effect/Option"

// The options @effect/cli 0.77 adds to every command. --completions and --log-level take a value.
const builtInOptions: ReadonlyArray<readonly [string, boolean]> = [
  ["--help", false],
  ["-h", false],
  ["--version", false],
  ["--wizard", false],
  ["--completions", true],
  ["--log-level", true]
]

/** Adds every option name in a usage, mapped to whether the option takes a value. */
const collectOptionNames = (usage: Usage.Usage, names: Map<string, boolean>): void => {
  switch (usage._tag) {
    case "Named":
      for (const name of usage.names) {
        if (name.startsWith("-")) {
          // @effect/cli leaves acceptedValues empty for boolean options only.
          names.set(name.toLowerCase(), Option.isSome(usage.acceptedValues))
        }
      }
      return
    case "Optional":
    case "Repeated":
      return collectOptionNames(usage.usage, names)
    case "Alternation":
    case "Concat":
      collectOptionNames(usage.left, names)
      return collectOptionNames(usage.right, names)
    default:
      return
  }
}

/** Counts the insertions, deletions and substitutions that turn one string into another (Levenshtein distance). */
const editDistance = (left: string, right: string): number => {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index)
  for (let i = 1; i <= left.length; i++) {
    const current = [i]
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution))
    }
    previous = current
  }
  return previous[right.length]
}

// At most two edits away, the limit @effect/cli uses for its own suggestions.
const maxSuggestionDistance = 2

/** Finds the known long option nearest to a misspelt one, if one is close enough. */
const closestOption = (option: string, names: ReadonlyArray<string>): Option.Option<string> => {
  let closest: Option.Option<string> = Option.none()
  let closestDistance = maxSuggestionDistance + 1
  for (const name of names) {
    const distance = editDistance(option.toLowerCase(), name)
    if (name.startsWith("--") && distance < closestDistance) {
      closest = Option.some(name)
      closestDistance = distance
    }
  }
  return closest
}

// A long option with its value in the same argument, as @effect/cli splits it: --name=value.
const inlineValuePattern = /^(--[^=]+)=.+$/

/**
 * Finds the first long option (`--name`) that a `jobs` subcommand does not know, and returns a
 * message that names it. Options are compared without case, as @effect/cli does by default.
 *
 * The parser of @effect/cli 0.77 matches options from the start of the arguments and stops at the
 * first one it does not know. It then reports the first required option it did not reach, such as
 * `Expected to find option: '--bucket'`, and not the misspelt option. Checking first avoids that.
 * Only long options are checked. Short ones, which @effect/cli may read as a cluster such as `-yo`,
 * and arguments after `--` are left to @effect/cli.
 *
 * @internal
 */
export const findUnknownOption = (
  args: ReadonlyArray<string>,
  subcommandUsages: Readonly<Record<string, Usage.Usage>>
): Option.Option<string> => {
  const [group, subcommand] = args
  if (group?.toLowerCase() !== "jobs" || subcommand === undefined) {
    return Option.none()
  }
  const commandName = subcommand.toLowerCase()
  const usage = Object.hasOwn(subcommandUsages, commandName) ? subcommandUsages[commandName] : undefined
  if (usage === undefined) {
    return Option.none()
  }

  const known = new Map(builtInOptions)
  collectOptionNames(usage, known)
  for (let index = 2; index < args.length; index++) {
    const arg = args[index]
    if (arg === "--") {
      break
    }
    if (!arg.startsWith("-")) {
      continue
    }
    const inline = inlineValuePattern.exec(arg)
    const option = inline === null ? arg : inline[1]
    const takesValue = known.get(option.toLowerCase())
    if (takesValue === undefined) {
      if (!option.startsWith("--")) {
        continue
      }
      const hint = Option.match(closestOption(option, [...known.keys()]), {
        onNone: () => "",
        onSome: (closest) => ` Did you mean ${closest}?`
      })
      return Option.some(
        `unknown option ${option} for cos-ci jobs ${commandName}.${hint} See cos-ci jobs ${commandName} --help.`
      )
    }
    if (takesValue && inline === null) {
      // The next argument is the value, even if it starts with a dash.
      index++
    }
  }
  return Option.none()
}
