import * as CiClient from "@effect-cos/http/CiClient"
import { CiCredentialsError, CiInvalidInput } from "@effect-cos/http/CiError"
import * as Credentials from "@effect-cos/http/Credentials"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { bucket, jobId, region, secretId, secretKey } from "./fixtures.js"

// JavaScript callers and `as any` configurations can pass options of any type. Each must fail with a
// typed error before anything is sent, never with a TypeError.

const token = "TOKEN-VALUE"

const credentials = { secretId, secretKey: Redacted.make(secretKey) }

/** Valid options with `overrides` applied, typed loosely as a JavaScript caller would pass them. */
const optionsWith = (overrides: Record<string, unknown>) =>
  ({ bucket, region, credentials, ...overrides }) as unknown as CiClient.CiClientOptions

/** Builds the layer over the stub and returns its error and the requests the stub received. */
const layerFailure = (options: CiClient.CiClientOptions) =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(Layer.build(CiClient.layer(options)))
    const sent = yield* TestHttpClient.requests
    return { error, sent }
  }).pipe(Effect.scoped, Effect.provide(TestHttpClient.layer(() => TestHttpClient.respond(200))))

/** Sends a cancel with a client whose credentials come from `provider`. */
const sendFailure = (provider: Credentials.Provider) =>
  Effect.gen(function*() {
    const client = yield* CiClient.CiClient
    const error = yield* Effect.flip(
      client.send({ method: "PUT", path: ["inventorytriggerjob", jobId], query: { cancel: "" } })
    )
    const sent = yield* TestHttpClient.requests
    return { error, sent }
  }).pipe(
    Effect.provide(
      TestHttpClient.layerCiClient(() => TestHttpClient.respond(200), optionsWith({ credentials: provider }))
    )
  )

/** Asserts that no rendering of `error` contains a secret of the cases below. */
const expectNoSecret = (error: unknown) => {
  for (const rendering of [String(error), JSON.stringify(error)]) {
    expect(rendering).not.toContain(secretKey)
    expect(rendering).not.toContain(token)
  }
}

const invalidInput = (field: string, value: string, reason: string) => new CiInvalidInput({ field, value, reason })

const notRedacted = (type: string) => `must be a Redacted string made with Redacted.make, not ${type}`
const notDuration = "must be a Duration, a number of milliseconds or a string such as \"30 seconds\""
const notCredentials = (type: string) => `must be an object with secretId and secretKey, not ${type}`

describe("invalid options", () => {
  const cases: ReadonlyArray<readonly [string, CiClient.CiClientOptions, CiInvalidInput]> = [
    [
      "credentials from unset environment variables",
      optionsWith({ credentials: { secretId: undefined, secretKey: Redacted.make(undefined) } }),
      invalidInput("secretId", "undefined", "is required")
    ],
    [
      "a secretId that is not a string",
      optionsWith({ credentials: { ...credentials, secretId: 42 } }),
      invalidInput("secretId", "42", "must be a string, not a number")
    ],
    [
      "a missing secretKey",
      optionsWith({ credentials: { secretId } }),
      invalidInput("secretKey", "undefined", "is required")
    ],
    [
      "a secretKey that wraps undefined",
      optionsWith({ credentials: { secretId, secretKey: Redacted.make(undefined) } }),
      invalidInput("secretKey", "<redacted>", "must wrap a string, but wraps undefined")
    ],
    [
      "a plain string secretKey",
      optionsWith({ credentials: { secretId, secretKey } }),
      invalidInput("secretKey", "<redacted>", notRedacted("a string"))
    ],
    [
      "a null secretKey",
      optionsWith({ credentials: { secretId, secretKey: null } }),
      invalidInput("secretKey", "null", notRedacted("null"))
    ],
    [
      "a plain string sessionToken",
      optionsWith({ credentials: { ...credentials, sessionToken: token } }),
      invalidInput("sessionToken", "<redacted>", notRedacted("a string"))
    ],
    [
      "a sessionToken that wraps a number",
      optionsWith({ credentials: { ...credentials, sessionToken: Redacted.make(1) } }),
      invalidInput("sessionToken", "<redacted>", "must wrap a string, but wraps a number")
    ],
    [
      "an expiration that is a string",
      optionsWith({ credentials: { ...credentials, expiration: "2030-01-01" } }),
      invalidInput("expiration", "2030-01-01", "must be a Date, not a string")
    ],
    [
      "missing credentials",
      optionsWith({ credentials: undefined }),
      invalidInput("credentials", "undefined", "is required")
    ],
    [
      "null credentials",
      optionsWith({ credentials: null }),
      invalidInput("credentials", "null", notCredentials("null"))
    ],
    [
      "credentials as one string",
      optionsWith({ credentials: `${secretId}:${secretKey}` }),
      invalidInput("credentials", "<redacted>", notCredentials("a string"))
    ],
    [
      "a provider whose get is a function",
      optionsWith({ credentials: { get: () => Effect.succeed(credentials) } }),
      invalidInput("credentials", "an object", "must be a provider whose get is an Effect, but get is a function")
    ],
    [
      "a missing bucket",
      optionsWith({ bucket: undefined }),
      invalidInput("bucket", "undefined", "is required")
    ],
    [
      "a bucket that is a number",
      optionsWith({ bucket: 1 }),
      invalidInput("bucket", "1", "must be a string, not a number")
    ],
    [
      "a missing region",
      optionsWith({ region: undefined }),
      invalidInput("region", "undefined", "is required")
    ],
    [
      "a region that is an array",
      optionsWith({ region: [region] }),
      invalidInput("region", "an array", "must be a string, not an array")
    ],
    [
      "an endpoint that is a port number",
      optionsWith({ endpoint: 8080 }),
      invalidInput("endpoint", "8080", "must be a string, not a number")
    ],
    [
      "a null endpoint",
      optionsWith({ endpoint: null }),
      invalidInput("endpoint", "null", "must be a string, not null")
    ],
    [
      "a timeout that is a boolean",
      optionsWith({ timeout: true }),
      invalidInput("timeout", "true", notDuration)
    ],
    [
      "a null timeout",
      optionsWith({ timeout: null }),
      invalidInput("timeout", "null", notDuration)
    ],
    [
      "a timeout without a prototype",
      optionsWith({ timeout: Object.create(null) }),
      invalidInput("timeout", "an object", notDuration)
    ],
    [
      "a timeout in words",
      optionsWith({ timeout: "thirty seconds" }),
      invalidInput("timeout", "thirty seconds", notDuration)
    ],
    [
      "a timeout of 5 nanoseconds",
      optionsWith({ timeout: 5n }),
      invalidInput("timeout", "5", "must be at least 1 millisecond")
    ],
    [
      "a timeout of half a millisecond",
      optionsWith({ timeout: 0.5 }),
      invalidInput("timeout", "0.5", "must be at least 1 millisecond")
    ],
    [
      "a timeout in microseconds",
      optionsWith({ timeout: "500 micros" }),
      invalidInput("timeout", "500 micros", "must be at least 1 millisecond")
    ],
    [
      "a timeout longer than a timer can wait",
      optionsWith({ timeout: Duration.millis(2 ** 31) }),
      invalidInput(
        "timeout",
        "Duration(24d 20h 31m 23s 648ms)",
        "must be at most 2147483647 milliseconds (about 24.9 days)"
      )
    ],
    [
      "a retrySchedule that is not a Schedule",
      optionsWith({ retrySchedule: "3 times" }),
      invalidInput(
        "retrySchedule",
        "3 times",
        "must be a Schedule, such as CiRetry.defaultSchedule or Schedule.stop, not a string"
      )
    ],
    [
      "another securityTokenHeader",
      optionsWith({ securityTokenHeader: "authorization" }),
      invalidInput(
        "securityTokenHeader",
        "authorization",
        "must be \"x-ci-security-token\" or \"x-cos-security-token\""
      )
    ],
    [
      "a transformClient that is not a function",
      optionsWith({ transformClient: {} }),
      invalidInput("transformClient", "an object", "must be a function, not an object")
    ],
    [
      "a transformClient that returns null",
      optionsWith({ transformClient: () => null }),
      invalidInput("transformClient", "null", "must return an HttpClient, such as the client it was given, not null")
    ],
    [
      "a transformClient that returns nothing",
      optionsWith({ transformClient: () => {} }),
      invalidInput(
        "transformClient",
        "undefined",
        "must return an HttpClient, such as the client it was given, not undefined"
      )
    ],
    [
      "a transformClient that returns another object",
      optionsWith({ transformClient: (client: object) => ({ ...client }) }),
      invalidInput(
        "transformClient",
        "an object",
        "must return an HttpClient, such as the client it was given, not an object"
      )
    ],
    [
      "no options at all",
      undefined as unknown as CiClient.CiClientOptions,
      invalidInput("options", "undefined", "must be an object with bucket, region and credentials, not undefined")
    ]
  ]

  for (const [name, options, expected] of cases) {
    it.effect(`rejects ${name}`, () =>
      Effect.gen(function*() {
        const { error, sent } = yield* layerFailure(options)

        expect(error).toStrictEqual(expected)
        expect(sent).toHaveLength(0)
        expectNoSecret(error)
      }))
  }
})

describe("invalid endpoints", () => {
  const userInfo = "must not contain user information"
  const portRange = "must have a port from 1 to 65535"
  const cases: ReadonlyArray<readonly [string, string, CiInvalidInput]> = [
    [
      "a user name and password",
      `http://user:${token}@127.0.0.1:18080`,
      invalidInput("endpoint", "http://<redacted>@127.0.0.1:18080", userInfo)
    ],
    [
      "a user name alone",
      `http://${token}@127.0.0.1:18080`,
      invalidInput("endpoint", "http://<redacted>@127.0.0.1:18080", userInfo)
    ],
    [
      "a password that contains @",
      `http://user:${token}@x@127.0.0.1:18080`,
      invalidInput("endpoint", "http://<redacted>@127.0.0.1:18080", userInfo)
    ],
    [
      "user information split by a tab",
      `ht\ttp://user:${token}@127.0.0.1:18080`,
      invalidInput("endpoint", "http://<redacted>@127.0.0.1:18080", userInfo)
    ],
    [
      "user information and another scheme",
      `ftp://user:${token}@127.0.0.1`,
      invalidInput("endpoint", "ftp://<redacted>@127.0.0.1", "must use http or https")
    ],
    [
      "user information and a port out of range",
      `http://user:${token}@127.0.0.1:99999`,
      invalidInput("endpoint", "http://<redacted>@127.0.0.1:99999", portRange)
    ],
    ["a port above 65535", "http://127.0.0.1:99999", invalidInput("endpoint", "http://127.0.0.1:99999", portRange)],
    ["port 65536", "https://127.0.0.1:65536", invalidInput("endpoint", "https://127.0.0.1:65536", portRange)],
    [
      "an IPv6 host with a port out of range",
      "http://[::1]:70000",
      invalidInput("endpoint", "http://[::1]:70000", portRange)
    ],
    ["port 0", "http://127.0.0.1:0", invalidInput("endpoint", "http://127.0.0.1:0", portRange)],
    [
      "a port with a letter",
      "http://127.0.0.1:8080x",
      invalidInput("endpoint", "http://127.0.0.1:8080x", "must be an absolute URL such as \"http://127.0.0.1:8080\"")
    ],
    [
      "a bad host and a port out of range",
      "http://127.0.0.1 x:99999",
      invalidInput("endpoint", "http://127.0.0.1 x:99999", "must be an absolute URL such as \"http://127.0.0.1:8080\"")
    ]
  ]

  for (const [name, endpoint, expected] of cases) {
    it.effect(`rejects ${name}`, () =>
      Effect.gen(function*() {
        const { error, sent } = yield* layerFailure(optionsWith({ endpoint }))

        expect(error).toStrictEqual(expected)
        expect(sent).toHaveLength(0)
        expectNoSecret(error)
      }))
  }

  it.effect("accepts port 65535", () =>
    Effect.gen(function*() {
      const client = yield* CiClient.CiClient
      expect(client.endpoint).toBe("http://127.0.0.1:65535")
    }).pipe(
      Effect.provide(
        TestHttpClient.layerCiClient(
          () => TestHttpClient.respond(200),
          optionsWith({ endpoint: "http://127.0.0.1:65535" })
        )
      )
    ))
})

describe("invalid credentials from a provider", () => {
  const cases: ReadonlyArray<readonly [string, unknown, string]> = [
    [
      "a missing secretId",
      { secretId: undefined, secretKey: Redacted.make(secretKey) },
      "Invalid secretId \"undefined\": is required"
    ],
    [
      "undefined",
      undefined,
      `Invalid credentials "undefined": ${notCredentials("undefined")}`
    ],
    [
      "a string",
      `${secretId}:${secretKey}`,
      `Invalid credentials "<redacted>": ${notCredentials("a string")}`
    ],
    [
      "a plain string secretKey",
      { secretId, secretKey },
      `Invalid secretKey "<redacted>": ${notRedacted("a string")}`
    ],
    [
      "a plain string sessionToken",
      { ...credentials, sessionToken: token },
      `Invalid sessionToken "<redacted>": ${notRedacted("a string")}`
    ]
  ]

  for (const [name, returned, problem] of cases) {
    it.effect(`fails the call for ${name}`, () =>
      Effect.gen(function*() {
        const provider = { get: Effect.succeed(returned) } as unknown as Credentials.Provider
        const { error, sent } = yield* sendFailure(provider)

        expect(error).toStrictEqual(new CiCredentialsError({ reason: `the provider returned ${problem}` }))
        expect(sent).toHaveLength(0)
        expectNoSecret(error)
      }))
  }

  it.effect("fails the call when refreshing fetches no secretId", () =>
    Effect.gen(function*() {
      const fetched = { secretId: undefined, secretKey: Redacted.make(secretKey) }
      const provider = yield* Credentials.refreshing(
        Effect.succeed(fetched as unknown as Credentials.Credentials)
      )
      const { error, sent } = yield* sendFailure(provider)

      expect(error).toStrictEqual(
        new CiCredentialsError({ reason: "the provider returned Invalid secretId \"undefined\": is required" })
      )
      expect(sent).toHaveLength(0)
    }))
})

describe("invalid refreshing options", () => {
  it.effect("rejects a fetch that is not an Effect", () =>
    Effect.gen(function*() {
      const fetch = () => Effect.succeed(credentials)
      const error = yield* Effect.flip(
        Credentials.refreshing(fetch as unknown as Effect.Effect<Credentials.Credentials>)
      )

      expect(error).toStrictEqual(invalidInput("fetch", "a function", "must be an Effect, not a function"))
    }))

  it.effect("rejects a margin that is not a duration", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Credentials.refreshing(Effect.succeed(credentials), { margin: "soon" as never })
      )

      expect(error).toStrictEqual(invalidInput("margin", "soon", "must be a finite duration, such as \"5 minutes\""))
    }))

  it.effect("rejects null options", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(Credentials.refreshing(Effect.succeed(credentials), null as never))

      expect(error).toStrictEqual(
        invalidInput("options", "null", "must be an object such as { margin: \"5 minutes\" }, not null")
      )
    }))
})
