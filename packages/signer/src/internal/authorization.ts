import * as Either from "effect/Either"
import type * as Signer from "../Signer.js"

const fieldNames = [
  "q-sign-algorithm",
  "q-ak",
  "q-sign-time",
  "q-key-time",
  "q-header-list",
  "q-url-param-list",
  "q-signature"
] as const

type FieldName = typeof fieldNames[number]

const keyTimePattern = /^(\d{1,12});(\d{1,12})$/
const signaturePattern = /^[0-9a-f]{40}$/

const parseKeyTime = (field: FieldName, value: string): Either.Either<Signer.KeyTime, string> => {
  const match = keyTimePattern.exec(value)
  if (match === null) {
    return Either.left(`${field} must be "<start>;<end>" in Unix seconds, got "${value}"`)
  }
  const start = Number(match[1])
  const end = Number(match[2])
  if (start > end) {
    return Either.left(`${field} starts after it ends: "${value}"`)
  }
  return Either.right({ start, end })
}

const parseList = (value: string): ReadonlyArray<string> => (value === "" ? [] : value.split(";"))

/** @internal */
export const parseAuthorization = (header: string): Either.Either<Signer.ParsedAuthorization, string> => {
  const fields = new Map<string, string>()
  for (const part of header.split("&")) {
    const separator = part.indexOf("=")
    if (separator < 0) {
      return Either.left(`field "${part}" has no "="`)
    }
    const name = part.slice(0, separator)
    if (!(fieldNames as ReadonlyArray<string>).includes(name)) {
      return Either.left(`unknown field "${name}"`)
    }
    if (fields.has(name)) {
      return Either.left(`field "${name}" appears more than once`)
    }
    fields.set(name, part.slice(separator + 1))
  }

  const missing = fieldNames.filter((name) => !fields.has(name))
  if (missing.length > 0) {
    return Either.left(`missing ${missing.join(", ")}`)
  }
  const field = (name: FieldName): string => fields.get(name)!

  if (field("q-sign-algorithm") !== "sha1") {
    return Either.left(`q-sign-algorithm must be "sha1", got "${field("q-sign-algorithm")}"`)
  }
  if (field("q-ak") === "") {
    return Either.left("q-ak is empty")
  }
  if (!signaturePattern.test(field("q-signature"))) {
    return Either.left("q-signature must be 40 lower-case hex digits")
  }

  return Either.all({
    signTime: parseKeyTime("q-sign-time", field("q-sign-time")),
    keyTime: parseKeyTime("q-key-time", field("q-key-time"))
  }).pipe(Either.map(({ keyTime, signTime }) => ({
    secretId: field("q-ak"),
    signTime,
    keyTime,
    headerList: parseList(field("q-header-list")),
    urlParamList: parseList(field("q-url-param-list")),
    signature: field("q-signature")
  })))
}
