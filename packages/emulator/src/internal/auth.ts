import * as Signer from "@effect-cos/signer/Signer"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import type * as Emulator from "../Emulator.js"
import { CiError, signatureDoesNotMatch } from "./response.js"
import { parseTarget, type Target } from "./target.js"

/**
 * The settings the signature check needs.
 *
 * @internal
 */
export interface AuthConfig {
  readonly credentials: ReadonlyMap<string, Emulator.Credential>
  readonly strict: boolean
  readonly futureSkewSeconds: number
  readonly now: () => number
}

/**
 * The parts of a request the signature check reads.
 *
 * @internal
 */
export interface AuthRequest {
  readonly method: string
  readonly url: string
  /** Values by lower-case name. */
  readonly headers: Readonly<Record<string, string>>
}

const securityTokenHeader = "x-ci-security-token"

const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && Crypto.timingSafeEqual(left, right)
}

const fail = (status: number, code: string, message: string) => Effect.fail(new CiError({ status, code, message }))

const checkSecurityToken = (
  credential: Emulator.Credential,
  headers: Readonly<Record<string, string>>
): Effect.Effect<void, CiError> => {
  if (credential.sessionToken === undefined) {
    return Effect.void
  }
  const token = headers[securityTokenHeader]
  if (token === undefined) {
    return fail(403, "AccessDenied", `The ${securityTokenHeader} header is missing; temporary credentials need it.`)
  }
  if (!constantTimeEqual(token, Redacted.value(credential.sessionToken))) {
    return fail(
      403,
      "AccessDenied",
      `The ${securityTokenHeader} header is invalid for SecretId ${credential.secretId}.`
    )
  }
  return Effect.void
}

/** Applies the strict-mode rules and checks that every signed header is present. */
const checkLists = (
  config: AuthConfig,
  parsed: Signer.ParsedAuthorization,
  request: AuthRequest,
  target: Target
): Effect.Effect<void, CiError> => {
  const headerList = new Set(parsed.headerList)
  const urlParamList = new Set(parsed.urlParamList)

  if (config.strict && !headerList.has("host")) {
    return Effect.fail(signatureDoesNotMatch("q-header-list must include host; the emulator runs in strict mode."))
  }
  if (config.strict) {
    const unsigned = target.query.find(([name]) => !urlParamList.has(Signer.canonicalKey(name)))
    if (unsigned !== undefined) {
      return Effect.fail(
        signatureDoesNotMatch(
          `Query parameter "${unsigned[0]}" is not in q-url-param-list; the emulator runs in strict mode.`
        )
      )
    }
  }

  const requestHeaders = new Set(Object.keys(request.headers).map(Signer.canonicalKey))
  const missingHeader = parsed.headerList.find((name) => !requestHeaders.has(name))
  if (missingHeader !== undefined) {
    return Effect.fail(
      signatureDoesNotMatch(`q-header-list names "${missingHeader}", but the request has no such header.`)
    )
  }

  const requestParameters = new Set(target.query.map(([name]) => Signer.canonicalKey(name)))
  const missingParameter = parsed.urlParamList.find((name) => !requestParameters.has(name))
  if (missingParameter !== undefined) {
    return Effect.fail(
      signatureDoesNotMatch(
        `q-url-param-list names "${missingParameter}", but the request has no such query parameter.`
      )
    )
  }
  return Effect.void
}

const signedTokenHeaders = ["x-ci-security-token", "x-cos-security-token"]

// Each header is one `name=value` pair of the FormatString's header line, joined by "&".
const redactTokens = (httpString: string): string =>
  httpString.replace(
    new RegExp(`(^|&)(${signedTokenHeaders.join("|")})=[^&\\n]*`, "gm"),
    (_, separator: string, name: string) => `${separator}${name}=<redacted>`
  )

/** Recomputes the signature over exactly the headers and parameters that the Authorization lists. */
const checkSignature = (
  credential: Emulator.Credential,
  parsed: Signer.ParsedAuthorization,
  request: AuthRequest,
  target: Target
): Effect.Effect<void, CiError> => {
  const headerList = new Set(parsed.headerList)
  const urlParamList = new Set(parsed.urlParamList)

  const computed = Signer.computeSignature({
    method: request.method,
    pathname: target.path,
    query: Object.fromEntries(target.query.filter(([name]) => urlParamList.has(Signer.canonicalKey(name)))),
    headers: request.headers,
    shouldSignHeader: (name) => headerList.has(Signer.canonicalKey(name)),
    secretId: credential.secretId,
    secretKey: credential.secretKey,
    keyTime: parsed.keyTime
  })

  const sentHeaderList = parsed.headerList.join(";")
  if (computed.headerList !== sentHeaderList) {
    return Effect.fail(
      signatureDoesNotMatch(
        `q-header-list must be sorted and unique: expected "${computed.headerList}", got "${sentHeaderList}".`
      )
    )
  }
  const sentUrlParamList = parsed.urlParamList.join(";")
  if (computed.urlParamList !== sentUrlParamList) {
    return Effect.fail(
      signatureDoesNotMatch(
        `q-url-param-list must be sorted and unique: expected "${computed.urlParamList}", got "${sentUrlParamList}".`
      )
    )
  }

  if (!constantTimeEqual(computed.signature, parsed.signature)) {
    // The FormatString is the first thing to compare when a signer disagrees. It can contain a signed
    // session token, which is a secret, so the token's encoded value is replaced before it is quoted.
    return Effect.fail(
      signatureDoesNotMatch(
        "The request signature does not match the signature the emulator computed. Check the secret key and " +
          `what was signed. The emulator signed the FormatString ${JSON.stringify(redactTokens(computed.httpString))}.`
      )
    )
  }
  return Effect.void
}

/**
 * Verifies the `Authorization` header of a request and returns the parsed request target. The
 * checks run in a fixed order so that each failure has one error code: presence, syntax,
 * SecretId, time window, security token, signed-name lists, then the signature itself.
 *
 * @internal
 */
export const authenticate = (config: AuthConfig, request: AuthRequest): Effect.Effect<Target, CiError> =>
  Effect.gen(function*() {
    const header = request.headers["authorization"]
    if (header === undefined) {
      return yield* fail(401, "MissingAuthorization", "The Authorization header is missing.")
    }

    const parsedEither = Signer.parseAuthorization(header)
    if (Either.isLeft(parsedEither)) {
      return yield* fail(401, "InvalidAuthorization", `The Authorization header is invalid: ${parsedEither.left}.`)
    }
    const parsed = parsedEither.right
    if (parsed.signTime.start !== parsed.keyTime.start || parsed.signTime.end !== parsed.keyTime.end) {
      return yield* fail(
        401,
        "InvalidAuthorization",
        `The Authorization header is invalid: q-sign-time "${Signer.formatKeyTime(parsed.signTime)}" ` +
          `differs from q-key-time "${Signer.formatKeyTime(parsed.keyTime)}".`
      )
    }

    const credential = config.credentials.get(parsed.secretId)
    if (credential === undefined) {
      return yield* fail(401, "SecretidNotExist", `The SecretId "${parsed.secretId}" does not exist.`)
    }

    const nowSeconds = Math.floor(config.now() / 1000)
    if (parsed.keyTime.end < nowSeconds) {
      return yield* fail(401, "SignatureExpired", "Request has expired")
    }
    if (parsed.keyTime.start > nowSeconds + config.futureSkewSeconds) {
      return yield* fail(
        403,
        "RequestTimeTooSkewed",
        `The signature starts at ${parsed.keyTime.start}, more than ${config.futureSkewSeconds} seconds after ` +
          `the server time ${nowSeconds}. Correct the client clock.`
      )
    }

    yield* checkSecurityToken(credential, request.headers)

    const target = yield* parseTarget(request.url)
    yield* checkLists(config, parsed, request, target)
    yield* checkSignature(credential, parsed, request, target)
    return target
  })
