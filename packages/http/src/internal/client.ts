import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as Crypto from "node:crypto"
import type * as CiClient from "../CiClient.js"
import {
  CiCredentialsError,
  CiDecodeError,
  CiInvalidInput,
  type CiRequestError,
  type CiServiceError,
  CiTransportError
} from "../CiError.js"
import * as CiRetry from "../CiRetry.js"
import type * as Credentials from "../Credentials.js"
import * as internalCredentials from "./credentials.js"
import { buildUrl, resolveEndpoint, validateBucket, validateRegion, validateText } from "./endpoint.js"
import {
  describeValue,
  typeName,
  validateRetrySchedule,
  validateTimeout,
  validateTokenHeader,
  validateTransformClient,
  validateTransformedClient
} from "./options.js"
import { classify, type Exchange, redactedPreview, redactSecrets, requestIdHeader } from "./response.js"
import { securityTokenHeader, signRequest } from "./signing.js"
import { timeoutFail } from "./timeout.js"
import { fromHttpClientError, readBody } from "./transport.js"

/**
 * A skew smaller than this is within the precision of the `Date` header plus network delay, and
 * is no reason to move the signing clock.
 *
 * @internal
 */
export const clockSkewThresholdMillis = 30_000

const userAgent = "effect-cos/0.1.0"

/** @internal */
export const isClockSkewError = (error: CiRequestError): error is CiServiceError =>
  error._tag === "CiServiceError" &&
  (error.code === "RequestTimeTooSkewed" ||
    error.code === "SignatureExpired" ||
    (error.code === "AccessDenied" && error.message.includes("Request has expired")))

const validateRequest = (request: CiClient.CiRequest): Either.Either<CiClient.CiRequest, CiInvalidInput> => {
  for (const segment of request.path) {
    if (segment === "") {
      return Either.left(
        new CiInvalidInput({ field: "path", value: request.path.join("/"), reason: "has an empty segment" })
      )
    }
    // URL parsing resolves these, so the request would go to another path than the one signed for.
    if (segment === "." || segment === "..") {
      return Either.left(
        new CiInvalidInput({ field: "path", value: request.path.join("/"), reason: `has a "${segment}" segment` })
      )
    }
    const checked = validateText("path", segment)
    if (Either.isLeft(checked)) {
      return Either.left(checked.left)
    }
  }
  for (const [key, value] of Object.entries(request.query ?? {})) {
    const checked = Either.all([validateText(key, key), validateText(key, value)])
    if (Either.isLeft(checked)) {
      return Either.left(checked.left)
    }
  }
  if (request.body !== undefined) {
    const checked = validateText("body", request.body.content)
    if (Either.isLeft(checked)) {
      return Either.left(checked.left)
    }
  }
  return Either.right(request)
}

const toHttpRequest = (endpoint: URL, request: CiClient.CiRequest): HttpClientRequest.HttpClientRequest => {
  const url = buildUrl(endpoint, request.path, request.query ?? {})
  const base = HttpClientRequest.make(request.method)(url).pipe(HttpClientRequest.setHeader("user-agent", userAgent))

  if (request.body === undefined) {
    // Strict-signature buckets need Content-Length signed, and a bodiless PUT or POST sends 0.
    return request.method === "PUT" || request.method === "POST" ?
      HttpClientRequest.setHeader(base, "content-length", "0") :
      base
  }

  const bytes = new TextEncoder().encode(request.body.content)
  return base.pipe(
    HttpClientRequest.bodyUint8Array(bytes, request.body.contentType),
    HttpClientRequest.setHeaders({
      "content-type": request.body.contentType,
      "content-length": String(bytes.length),
      "content-md5": Crypto.createHash("md5").update(bytes).digest("base64")
    })
  )
}

// A server's Date outside these years is a broken or forged header, not a clock to sign with. A 1970
// date would sign q-sign-time=0;900, and the offset it sets would last for every later call.
const minServerTimeMillis = Date.UTC(2000, 0, 1)
const maxServerTimeMillis = Date.UTC(2199, 11, 31, 23, 59, 59)

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

// The IMF-fixdate of RFC 9110, section 5.6.7, such as `Sun, 06 Nov 1994 08:49:37 GMT`. Date.parse
// is not used, because it also reads `1` as 2001 and a date without a zone in local time.
const imfFixdatePattern =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/

/**
 * Reads a `Date` header in the IMF-fixdate form as epoch milliseconds, in UTC. Returns `undefined`
 * for any other form, an impossible date such as 31 Feb, and a year outside 2000 to 2199. A leap
 * second (`:60`) reads as the first second of the next minute. The day name is not checked
 * against the date.
 */
const parseServerDate = (value: string | undefined): number | undefined => {
  const match = value === undefined ? null : imfFixdatePattern.exec(value)
  if (match === null) {
    return undefined
  }
  const [, dayText, monthName, yearText, hourText, minuteText, secondText] = match
  const [day, year, hour, minute, second] = [dayText, yearText, hourText, minuteText, secondText].map(Number)
  const month = monthNames.indexOf(monthName)
  if (hour > 23 || minute > 59 || second > 60) {
    return undefined
  }
  // Date.UTC rolls 31 Feb over into March, so the day is compared back.
  if (new Date(Date.UTC(year, month, day)).getUTCDate() !== day) {
    return undefined
  }
  const millis = Date.UTC(year, month, day, hour, minute, second)
  return millis < minServerTimeMillis || millis > maxServerTimeMillis ? undefined : millis
}

// The values of a signed request that an error must not quote: the session token, the Authorization
// value and its signature, with and without the field name. `redactSecrets` also matches their
// encoded forms, such as the percent-encoded token of a signature's FormatString.
const sentSecrets = (request: HttpClientRequest.HttpClientRequest): ReadonlyArray<string> => {
  const secrets: Array<string> = []
  for (const name of [securityTokenHeader, "x-cos-security-token"]) {
    const token = request.headers[name]
    if (token !== undefined) {
      secrets.push(token)
    }
  }
  const authorization = request.headers["authorization"]
  if (authorization !== undefined) {
    const signature = /q-signature=([0-9a-f]+)/.exec(authorization)
    secrets.push(authorization, ...(signature === null ? [] : [signature[0], signature[1]]))
  }
  return secrets
}

// CI documents x-ci-security-token. Only a request to this bucket's COS host, matched exactly,
// takes the COS name of the header.
const defaultTokenHeader = (
  endpoint: URL,
  settings: { readonly bucket: string; readonly region: string }
): "x-ci-security-token" | "x-cos-security-token" =>
  endpoint.hostname === `${settings.bucket}.cos.${settings.region}.myqcloud.com` ?
    "x-cos-security-token" :
    securityTokenHeader

/** @internal */
export const make = (options: CiClient.CiClientOptions) =>
  Effect.gen(function*() {
    // JavaScript callers can pass anything, so even the options object is checked before it is read.
    if (typeof options !== "object" || options === null) {
      return yield* new CiInvalidInput({
        field: "options",
        value: describeValue(options),
        reason: `must be an object with bucket, region and credentials, not ${typeName(options)}`
      })
    }
    const settings = yield* Either.all({
      bucket: validateBucket(options.bucket),
      region: validateRegion(options.region),
      timeout: validateTimeout(options.timeout)
    })
    const endpoint = yield* resolveEndpoint({ ...settings, endpoint: options.endpoint })
    const retrySchedule = yield* validateRetrySchedule(options.retrySchedule, CiRetry.defaultSchedule)
    const tokenHeader = (yield* validateTokenHeader(options.securityTokenHeader)) ??
      defaultTokenHeader(endpoint, settings)
    const transformClient = yield* validateTransformClient(options.transformClient)
    const credentials = yield* internalCredentials.validateOption(options.credentials)

    // Fixed credentials were checked once, above. A provider's are checked each time they are fetched,
    // because whatever it returns is written into the Authorization header.
    const getCredentials: Effect.Effect<Credentials.Credentials, CiCredentialsError> =
      internalCredentials.isProvider(credentials) ?
        Effect.flatMap(credentials.get, (fetched) =>
          Either.match(internalCredentials.validate(fetched), {
            onLeft: (invalid) =>
              Effect.fail(new CiCredentialsError({ reason: `the provider returned ${invalid.message}` })),
            onRight: Effect.succeed
          })) :
        Effect.succeed(credentials)

    // Difference between the server's clock and ours, learned from clock-skew errors. Shared by
    // every call of this client, so one correction serves all later requests.
    const clockOffset = yield* Ref.make(0)

    const baseClient = yield* HttpClient.HttpClient
    const transformed = transformClient === undefined ?
      baseClient :
      yield* validateTransformedClient(transformClient(baseClient))

    // Signing is the last request transform, so it runs on every attempt with a fresh key time
    // and signs the final URL.
    const signedClient = HttpClient.mapRequestEffect(HttpClient.withTracerPropagation(transformed, false), (request) =>
      Effect.gen(function*() {
        const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
        if (Either.isLeft(url)) {
          return request
        }
        const current = yield* getCredentials
        const now = yield* Clock.currentTimeMillis
        const offset = yield* Ref.get(clockOffset)
        return yield* signRequest(request, url.right, { ...current, tokenHeader }, (now + offset) / 1000)
      }))

    // fetch would follow a redirect and replay the signed request to wherever it points.
    const noRedirects = Effect.serviceOption(FetchHttpClient.RequestInit).pipe(
      Effect.map((init) => ({ ...Option.getOrElse(init, () => ({})), redirect: "manual" as const }))
    )

    const exchange = (
      request: HttpClientRequest.HttpClientRequest
    ): Effect.Effect<Exchange, CiClient.SendError> =>
      Effect.gen(function*() {
        const init = yield* noRedirects
        const response = yield* signedClient.execute(request).pipe(
          Effect.provideService(FetchHttpClient.RequestInit, init)
        )
        // A preview of an oversized body may quote the request, as an echoing proxy would.
        const body = yield* readBody(response).pipe(
          Effect.catchTag("CiDecodeError", (error) =>
            Effect.fail(
              new CiDecodeError({
                status: error.status,
                requestId: error.requestId,
                reason: error.reason,
                bodyPreview: redactedPreview(error.bodyPreview, sentSecrets(response.request))
              })
            ))
        )
        return { status: response.status, headers: response.headers, body, sentSecrets: sentSecrets(response.request) }
      }).pipe(
        // The timeout covers connecting, the headers and the whole body; when it fires the
        // request fiber is interrupted, which aborts the underlying connection.
        (exchanged) =>
          timeoutFail(exchanged, settings.timeout, () =>
            new CiTransportError({
              reason: "Timeout",
              method: request.method,
              url: request.url,
              description: `no complete response within ${Duration.format(settings.timeout)}`
            })),
        Effect.catchTags({
          RequestError: (error: HttpClientError.RequestError) =>
            Effect.fail(fromHttpClientError(error, request.method, request.url)),
          ResponseError: (error: HttpClientError.ResponseError) =>
            Effect.fail(fromHttpClientError(error, request.method, request.url))
        })
      )

    // One attempt, plus at most one immediate re-send after a clock-skew correction, which the
    // caller allows once per call through `skew`.
    const attempt = (
      request: HttpClientRequest.HttpClientRequest,
      skew: { corrected: boolean }
    ): Effect.Effect<Exchange, CiClient.SendError> =>
      Effect.gen(function*() {
        // The offset this attempt is signed with. Requests in flight together all fail on the same
        // skew, and the first to see its error corrects the shared offset, so each one compares the
        // server's clock with the offset it was signed with, not the corrected one.
        const signedOffset = yield* Ref.get(clockOffset)
        const result = yield* exchange(request)
        const classified = classify(result)
        if (Either.isRight(classified)) {
          return classified.right
        }

        const error = redactSecrets(classified.left, result)
        if (isClockSkewError(error) && !skew.corrected) {
          const serverTime = parseServerDate(result.headers["date"])
          const now = yield* Clock.currentTimeMillis
          if (serverTime !== undefined && Math.abs(serverTime - (now + signedOffset)) >= clockSkewThresholdMillis) {
            skew.corrected = true
            yield* Ref.set(clockOffset, serverTime - now)
            yield* Effect.logDebug("Corrected the signing clock from the server's Date header").pipe(
              Effect.annotateLogs({ code: error.code, requestId: error.requestId, offsetMillis: serverTime - now })
            )
            return yield* attempt(request, skew)
          }
        }
        return yield* Effect.fail(error)
      })

    const logRetry = (error: CiClient.SendError, attempt: number) =>
      Effect.logDebug("CI request failed, retrying").pipe(
        Effect.annotateLogs({ attempt, error: error._tag, failure: error.message })
      )

    // Keep the session token out of the HTTP client's span attributes. Fixed credentials without a
    // token send none, so their calls skip the cost of changing the redacted names.
    const mayHaveToken = internalCredentials.isProvider(credentials) || credentials.sessionToken !== undefined
    const redactToken = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      mayHaveToken
        ? Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [...names, tokenHeader])
        : effect

    const send = (
      request: CiClient.CiRequest,
      options: CiClient.SendOptions = {}
    ): Effect.Effect<CiClient.CiResponse, CiClient.SendError> =>
      Effect.gen(function*() {
        const valid = yield* validateRequest(request)
        const httpRequest = toHttpRequest(endpoint, valid)
        const shouldRetry = valid.idempotent === false ? CiRetry.isThrottling : CiRetry.isRetryable
        // State of this call only, read and written by its own fiber.
        const skew = { corrected: false }
        let attempts = 0

        const next = Effect.suspend(() => {
          attempts += 1
          const run = attempt(httpRequest, skew)
          return options.onAttempt === undefined ? run : Effect.zipRight(options.onAttempt(attempts), run)
        })

        // The schedule's driver is made only after a first failure that can be retried, so a
        // call that succeeds at once pays nothing for retries.
        let result = yield* Effect.either(next)
        if (Either.isLeft(result) && shouldRetry(result.left)) {
          const driver = yield* Schedule.driver(retrySchedule)
          while (Either.isLeft(result) && shouldRetry(result.left)) {
            const step = yield* Effect.either(driver.next(result.left))
            if (Either.isLeft(step)) {
              break
            }
            // Logged once the schedule has agreed to another attempt, never for the last failure.
            yield* logRetry(result.left, attempts + 1)
            result = yield* Effect.either(next)
          }
        }

        const requestId = Either.isRight(result) ? requestIdHeader(result.right.headers) : undefined
        yield* Effect.annotateCurrentSpan(
          requestId === undefined
            ? { "ci.attempts": attempts }
            : { "ci.attempts": attempts, "ci.request_id": requestId }
        )
        const exchanged = yield* result
        return {
          status: exchanged.status,
          headers: exchanged.headers,
          body: exchanged.body,
          requestId,
          previewBody: () =>
            redactedPreview(exchanged.body, exchanged.sentSecrets)
        }
      }).pipe(redactToken)

    return {
      bucket: settings.bucket,
      region: settings.region,
      endpoint: endpoint.origin,
      send
    } satisfies CiClient.CiClient["Type"]
  })
