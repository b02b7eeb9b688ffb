import * as CiClient from "@effect-cos/http/CiClient"
import { CiCredentialsError } from "@effect-cos/http/CiError"
import * as Credentials from "@effect-cos/http/Credentials"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import * as TestClock from "effect/TestClock"
import {
  bucket,
  ciHost,
  fixtureTimeMillis,
  jobId,
  options,
  parsedAuthorization,
  requests,
  stubLayer
} from "./fixtures.js"

const cancel = Effect.flatMap(
  CiClient.CiClient,
  (client) => client.send({ method: "PUT", path: ["inventorytriggerjob", jobId], query: { cancel: "" } })
)

/** Temporary credentials numbered by how many times they were fetched, valid for an hour. */
const countingFetch = (fetches: Ref.Ref<number>) =>
  Effect.gen(function*() {
    const count = yield* Ref.updateAndGet(fetches, (n) => n + 1)
    const now = yield* TestClock.currentTimeMillis
    return {
      secretId: `AKIDTEMP${count}`,
      secretKey: Redacted.make(`temporary-secret-${count}`),
      sessionToken: Redacted.make(`token-${count}`),
      expiration: new Date(now + 3_600_000)
    }
  })

const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries)))

describe("Credentials", () => {
  describe("refreshing", () => {
    it.effect("fetches once for many concurrent requests", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const fetches = yield* Ref.make(0)
        const provider = yield* Credentials.refreshing(countingFetch(fetches))

        const results = yield* Effect.all(Array.from({ length: 20 }, () => provider.get), { concurrency: "unbounded" })

        expect(yield* Ref.get(fetches)).toBe(1)
        expect(new Set(results.map((credentials) => credentials.secretId))).toStrictEqual(new Set(["AKIDTEMP1"]))
      }))

    it.effect("fetches again inside the margin before expiry, not before", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const fetches = yield* Ref.make(0)
        const provider = yield* Credentials.refreshing(countingFetch(fetches), { margin: "10 minutes" })

        expect((yield* provider.get).secretId).toBe("AKIDTEMP1")
        yield* TestClock.adjust("49 minutes")
        expect((yield* provider.get).secretId).toBe("AKIDTEMP1")
        yield* TestClock.adjust("2 minutes")
        expect((yield* provider.get).secretId).toBe("AKIDTEMP2")
        expect(yield* Ref.get(fetches)).toBe(2)
      }))

    it.effect("reports a failed fetch and tries again on the next request", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const attempts = yield* Ref.make(0)
        const flaky = Effect.gen(function*() {
          const attempt = yield* Ref.updateAndGet(attempts, (n) => n + 1)
          if (attempt === 1) {
            return yield* Effect.fail("STS unreachable")
          }
          return {
            secretId: "AKIDTEMP",
            secretKey: Redacted.make("s"),
            expiration: new Date(fixtureTimeMillis + 3_600_000)
          }
        })
        const provider = yield* Credentials.refreshing(flaky)

        const first = yield* Effect.either(provider.get)
        const second = yield* provider.get

        expect(first).toStrictEqual(
          Either.left(new CiCredentialsError({ reason: "the credentials provider failed", cause: "STS unreachable" }))
        )
        expect(second.secretId).toBe("AKIDTEMP")
      }))

    it.effect("rejects credentials that are already inside the margin", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const provider = yield* Credentials.refreshing(
          Effect.succeed({
            secretId: "AKIDTEMP",
            secretKey: Redacted.make("s"),
            expiration: new Date(fixtureTimeMillis + 60_000)
          })
        )
        const error = yield* Effect.flip(provider.get)
        expect(error.reason).toBe(
          "the provider returned credentials that expire at 2023-11-14T22:14:21.000Z, within the refresh margin of 5m"
        )
      }))

    it.effect("rejects invalid credentials without showing the secrets", () =>
      Effect.gen(function*() {
        const provider = yield* Credentials.refreshing(
          Effect.succeed({
            secretId: "AKIDTEMP",
            secretKey: Redacted.make("SECRET"),
            sessionToken: Redacted.make("TOKEN WITH SPACE")
          })
        )
        const error = yield* Effect.flip(provider.get)
        expect(error.reason).toBe(
          "the provider returned Invalid sessionToken \"<redacted>\": must be printable ASCII without spaces, as STS issues it"
        )
        expect(JSON.stringify(error)).not.toContain("TOKEN WITH SPACE")
        expect(String(error)).not.toContain("SECRET\"")
      }))
  })

  describe("with a client", () => {
    it.effect("limits the key time to the credentials' expiry", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const expiration = new Date(fixtureTimeMillis + 600_000)
        const provider = yield* Credentials.refreshing(
          Effect.succeed({
            secretId: "AKIDTEMP",
            secretKey: Redacted.make("temporary"),
            sessionToken: Redacted.make("TOKEN"),
            expiration
          }),
          { margin: "1 minute" }
        )
        const layer = TestHttpClient.layerCiClient(() => TestHttpClient.respond(200), {
          ...options,
          credentials: provider
        })
        const sent = yield* Effect.zipRight(cancel, requests).pipe(Effect.provide(layer))

        const authorization = parsedAuthorization(sent[0].headers["authorization"])
        expect(authorization.secretId).toBe("AKIDTEMP")
        expect(authorization.keyTime).toStrictEqual({ start: 1700000000, end: 1700000601 })
        expect(sent[0].headers["x-ci-security-token"]).toBe("TOKEN")
      }))

    it.effect("fails the call with CiCredentialsError and sends nothing when the provider fails", () =>
      Effect.gen(function*() {
        const provider = yield* Credentials.refreshing(Effect.fail("no STS"))
        const layer = TestHttpClient.layerCiClient(() => TestHttpClient.respond(200), {
          ...options,
          credentials: provider
        })
        const { error, sent } = yield* Effect.gen(function*() {
          const error = yield* Effect.flip(cancel)
          return { error, sent: yield* requests }
        }).pipe(Effect.provide(layer))

        expect(error).toBeInstanceOf(CiCredentialsError)
        expect(sent).toHaveLength(0)
      }))

    it.effect("refreshes between the attempts of one call", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(fixtureTimeMillis)
        const fetches = yield* Ref.make(0)
        const provider = yield* Credentials.refreshing(countingFetch(fetches), { margin: "59 minutes" })
        const layer = TestHttpClient.layerCiClient(
          TestHttpClient.sequence(TestHttpClient.respond(503), TestHttpClient.respond(200)),
          // The retry comes 2 minutes later, past the margin of the first credentials.
          { ...options, credentials: provider, retrySchedule: Schedule.spaced("2 minutes") }
        )

        const sent = yield* Effect.gen(function*() {
          const fiber = yield* Effect.fork(cancel)
          yield* TestClock.adjust("2 minutes")
          yield* Fiber.join(fiber)
          return yield* requests
        }).pipe(Effect.provide(layer))

        expect(sent.map((request) => parsedAuthorization(request.headers["authorization"]).secretId)).toStrictEqual([
          "AKIDTEMP1",
          "AKIDTEMP2"
        ])
      }))
  })

  describe("a provider of your own", () => {
    for (
      const [name, credentials, reason] of [
        [
          "a SecretId that would add a field",
          { secretId: "AKID&q-signature=0", secretKey: Redacted.make("k") },
          "the provider returned Invalid secretId \"AKID&q-signature=0\": " +
          "must be printable ASCII without spaces, \"&\", \"=\" or \";\""
        ],
        [
          "an empty SecretKey",
          { secretId: "AKIDTEMP", secretKey: Redacted.make("") },
          "the provider returned Invalid secretKey \"\": must not be empty"
        ]
      ] as const
    ) {
      it.effect(`is checked: ${name} fails without a request`, () =>
        Effect.gen(function*() {
          const provider: Credentials.Provider = Credentials.fromStatic(credentials)
          const layer = TestHttpClient.layerCiClient(() => TestHttpClient.respond(200), {
            ...options,
            credentials: provider
          })
          const { error, sent } = yield* Effect.gen(function*() {
            const error = yield* Effect.flip(cancel)
            return { error, sent: yield* requests }
          }).pipe(Effect.provide(layer))

          expect(error).toStrictEqual(new CiCredentialsError({ reason }))
          expect(sent).toHaveLength(0)
        }))
    }
  })

  describe("token header", () => {
    const token = {
      secretId: "AKIDEXAMPLE",
      secretKey: Redacted.make("SECRETKEYEXAMPLE"),
      sessionToken: Redacted.make("TOKEN")
    }
    const headersSent = (overrides: Partial<CiClient.CiClientOptions>) =>
      Effect.gen(function*() {
        yield* cancel
        const [request] = yield* requests
        return request.headers
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200), { credentials: token, ...overrides })))

    it.effect("is x-ci-security-token on the CI host", () =>
      Effect.gen(function*() {
        const headers = yield* headersSent({})
        expect(headers["x-ci-security-token"]).toBe("TOKEN")
        expect(headers["x-cos-security-token"]).toBeUndefined()
      }))

    it.effect("is x-cos-security-token on exactly this bucket's COS host", () =>
      Effect.gen(function*() {
        const headers = yield* headersSent({ endpoint: `https://${bucket}.cos.ap-guangzhou.myqcloud.com` })
        expect(headers["x-cos-security-token"]).toBe("TOKEN")
        expect(headers["x-ci-security-token"]).toBeUndefined()
      }))

    for (
      const endpoint of [
        `https://${bucket}.cos.ap-guangzhou.myqcloud.com.evil.example`,
        `https://evil-${bucket}.cos.ap-guangzhou.myqcloud.com`,
        "http://127.0.0.1:8080",
        `https://${ciHost}`
      ]
    ) {
      it.effect(`stays x-ci-security-token for ${endpoint}`, () =>
        Effect.gen(function*() {
          const headers = yield* headersSent({ endpoint })
          expect(headers["x-ci-security-token"]).toBe("TOKEN")
          expect(headers["x-cos-security-token"]).toBeUndefined()
        }))
    }

    it.effect("follows the securityTokenHeader option", () =>
      Effect.gen(function*() {
        const headers = yield* headersSent({ securityTokenHeader: "x-cos-security-token" })
        expect(headers["x-cos-security-token"]).toBe("TOKEN")
        expect(parsedAuthorization(headers["authorization"]).headerList).toContain("x-cos-security-token")
      }))
  })

  describe("config", () => {
    it.effect("reads COS_* before TENCENTCLOUD_*", () =>
      Effect.gen(function*() {
        const credentials = yield* Credentials.config().pipe(withConfig([
          ["COS_SECRET_ID", "AKIDCOS"],
          ["COS_SECRET_KEY", "cos-key"],
          ["TENCENTCLOUD_SECRET_ID", "AKIDTENCENT"],
          ["TENCENTCLOUD_SECRET_KEY", "tencent-key"]
        ]))
        expect(credentials.secretId).toBe("AKIDCOS")
        expect(Redacted.value(credentials.secretKey)).toBe("cos-key")
      }))

    it.effect("never mixes the two families", () =>
      Effect.gen(function*() {
        // An incomplete COS_* set falls back to the whole TENCENTCLOUD_* set, token included.
        const fallback = yield* Credentials.config().pipe(withConfig([
          ["COS_SECRET_ID", "AKIDCOS"],
          ["TENCENTCLOUD_SECRET_ID", "AKIDTENCENT"],
          ["TENCENTCLOUD_SECRET_KEY", "tencent-key"],
          ["TENCENTCLOUD_SESSION_TOKEN", "tencent-token"]
        ]))
        // A complete COS_* set ignores a stray TENCENTCLOUD_* token.
        const own = yield* Credentials.config().pipe(withConfig([
          ["COS_SECRET_ID", "AKIDCOS"],
          ["COS_SECRET_KEY", "cos-key"],
          ["TENCENTCLOUD_SESSION_TOKEN", "tencent-token"]
        ]))

        expect(fallback.secretId).toBe("AKIDTENCENT")
        expect(Redacted.value(fallback.secretKey)).toBe("tencent-key")
        expect(fallback.sessionToken && Redacted.value(fallback.sessionToken)).toBe("tencent-token")
        expect(own.sessionToken).toBeUndefined()
      }))

    it.effect("leaves the session token out when neither variable is set", () =>
      Effect.gen(function*() {
        const credentials = yield* Credentials.config().pipe(withConfig([
          ["COS_SECRET_ID", "AKIDCOS"],
          ["COS_SECRET_KEY", "key"]
        ]))
        expect(credentials.sessionToken).toBeUndefined()
      }))

    it.effect("names both variables when a value is missing", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(Credentials.config().pipe(withConfig([["COS_SECRET_ID", "AKIDCOS"]])))
        expect(String(error)).toContain("COS_SECRET_KEY")
        expect(String(error)).toContain("TENCENTCLOUD_SECRET_KEY")
      }))

    it.effect("reads other names without a fallback", () =>
      Effect.gen(function*() {
        const credentials = yield* Credentials.config({ secretId: "MY_ID", secretKey: "MY_KEY" }).pipe(withConfig([
          ["MY_ID", "AKIDMINE"],
          ["MY_KEY", "mine"],
          ["COS_SECRET_ID", "AKIDCOS"]
        ]))
        expect(credentials.secretId).toBe("AKIDMINE")
      }))

    it.effect("gives layerConfig the TENCENTCLOUD_* credentials", () =>
      Effect.gen(function*() {
        const sent = yield* Effect.zipRight(cancel, requests).pipe(
          Effect.provide(
            CiClient.layerConfig().pipe(Layer.provideMerge(TestHttpClient.layer(() => TestHttpClient.respond(200))))
          ),
          withConfig([
            ["COS_BUCKET", bucket],
            ["COS_REGION", "ap-guangzhou"],
            ["TENCENTCLOUD_SECRET_ID", "AKIDTENCENT"],
            ["TENCENTCLOUD_SECRET_KEY", "tencent-key"]
          ])
        )
        expect(parsedAuthorization(sent[0].headers["authorization"]).secretId).toBe("AKIDTENCENT")
      }))
  })
})
