import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import {
  expectError,
  expectXmlResponse,
  fixedNowSeconds,
  sendRaw,
  sendSigned,
  signRequest,
  startEmulator,
  temporaryCredential
} from "./helpers.js"

const jobId = "b0123456789abcdef0123456789abcdef"
const describePath = `/inventorytriggerjob/${jobId}`

const replaceAuthorization = (edit: (authorization: string) => string) =>
(request: {
  readonly method: string
  readonly target: string
  readonly headers?: Record<string, string> | undefined
  readonly body?: string | undefined
}) => ({ ...request, headers: { ...request.headers, authorization: edit(request.headers!["authorization"]!) } })

describe("authorization", () => {
  it.scopedLive("correct signature passes", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, { method: "GET", path: describePath })

      const response = expectXmlResponse(result)
      expect(response["NonExistJobIds"]).toBe(jobId)
      expect(result.headers["date"]).toBe("Tue, 14 Nov 2023 22:13:20 GMT")
      expect(result.headers["x-ci-request-id"]).toMatch(/^[A-Za-z0-9+/]+=*$/)
    }))

  it.scopedLive("request ids are unique", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const results = yield* Effect.forEach(
        [1, 2, 3],
        () => sendSigned(emulator, { method: "GET", path: describePath })
      )

      const ids = new Set(results.map((result) => result.headers["x-ci-request-id"]))
      expect(ids.size).toBe(3)
    }))

  it.scopedLive("request log keeps the request id sent", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const success = yield* sendSigned(emulator, { method: "GET", path: describePath })
      const failure = yield* sendRaw(emulator.port, { method: "GET", target: describePath })

      const log = yield* emulator.requests
      expect(log.map((entry) => entry.requestId)).toStrictEqual([
        success.headers["x-ci-request-id"],
        failure.headers["x-ci-request-id"]
      ])
      expect(expectXmlResponse(success)["RequestId"]).toBe(success.headers["x-ci-request-id"])
      expect(expectError(failure, 401, "MissingAuthorization")["RequestId"]).toBe(failure.headers["x-ci-request-id"])
    }))

  it.scopedLive("missing Authorization gives MissingAuthorization", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendRaw(emulator.port, { method: "GET", target: describePath })

      expectError(result, 401, "MissingAuthorization")
      expect(result.headers["date"]).toBe("Tue, 14 Nov 2023 22:13:20 GMT")
      const log = yield* emulator.requests
      expect(log.map((entry) => [entry.status, entry.code])).toEqual([[401, "MissingAuthorization"]])
    }))

  it.scopedLive("malformed Authorization gives InvalidAuthorization with the reason", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        tamper: replaceAuthorization((authorization) =>
          authorization.replace("q-sign-algorithm=sha1", "q-sign-algorithm=md5")
        )
      })

      const error = expectError(result, 401, "InvalidAuthorization")
      expect(error["Message"]).toBe(
        "The Authorization header is invalid: q-sign-algorithm must be \"sha1\", got \"md5\"."
      )
    }))

  it.scopedLive("q-sign-time differing from q-key-time is InvalidAuthorization", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const keyTime = `${fixedNowSeconds - 60};${fixedNowSeconds + 900}`
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        tamper: replaceAuthorization((authorization) =>
          authorization.replace(
            `q-sign-time=${keyTime}`,
            `q-sign-time=${fixedNowSeconds - 60};${fixedNowSeconds + 901}`
          )
        )
      })

      const error = expectError(result, 401, "InvalidAuthorization")
      expect(error["Message"]).toContain("differs from q-key-time")
    }))

  it.scopedLive("unknown SecretId gives SecretidNotExist", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        credential: { secretId: "AKIDUNKNOWN", secretKey: Redacted.make("SECRETKEYEXAMPLE") }
      })

      const error = expectError(result, 401, "SecretidNotExist")
      expect(error["Message"]).toBe("The SecretId \"AKIDUNKNOWN\" does not exist.")
    }))

  it.scopedLive("expired signature gives SignatureExpired", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const expired = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        keyTime: { start: fixedNowSeconds - 1000, end: fixedNowSeconds - 1 }
      })
      const lastSecond = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        keyTime: { start: fixedNowSeconds - 1000, end: fixedNowSeconds }
      })

      const error = expectError(expired, 401, "SignatureExpired")
      expect(error["Message"]).toBe("Request has expired")
      expect(lastSecond.status).toBe(200)
    }))

  it.scopedLive("signature starting too far ahead gives RequestTimeTooSkewed", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator({ futureSkewSeconds: 300 })
      const tooEarly = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        keyTime: { start: fixedNowSeconds + 301, end: fixedNowSeconds + 1000 }
      })
      const withinSkew = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        keyTime: { start: fixedNowSeconds + 300, end: fixedNowSeconds + 1000 }
      })

      expectError(tooEarly, 403, "RequestTimeTooSkewed")
      expect(withinSkew.status).toBe(200)
    }))

  it.scopedLive("wrong secret key gives SignatureDoesNotMatch", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        credential: { secretId: "AKIDEXAMPLE", secretKey: Redacted.make("WRONGKEY") }
      })

      const error = expectError(result, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toContain(`"get\\n${describePath}\\n\\nhost=127.0.0.1%3A${emulator.port}\\n"`)
    }))

  it.scopedLive("tampered path, query or header fails", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const otherPath = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        tamper: (request) => ({ ...request, target: "/inventorytriggerjob/b1" })
      })
      const otherQuery = yield* sendSigned(emulator, {
        method: "GET",
        path: "/inventorytriggerjob",
        query: [["size", "10"]],
        tamper: (request) => ({ ...request, target: "/inventorytriggerjob?size=11" })
      })
      const otherHeader = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        headers: { "x-ci-custom": "signed" },
        tamper: (request) => ({ ...request, headers: { ...request.headers, "x-ci-custom": "changed" } })
      })
      const otherMethod = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        tamper: (request) => ({ ...request, method: "DELETE" })
      })

      expectError(otherPath, 403, "SignatureDoesNotMatch")
      expectError(otherQuery, 403, "SignatureDoesNotMatch")
      expectError(otherHeader, 403, "SignatureDoesNotMatch")
      expectError(otherMethod, 403, "SignatureDoesNotMatch")
    }))

  it.scopedLive("listed header absent from the request fails", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator({ strict: false })
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        headers: { "x-ci-custom": "value" },
        tamper: (request) => {
          const { "x-ci-custom": _, ...headers } = request.headers!
          return { ...request, headers }
        }
      })

      const error = expectError(result, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toBe("q-header-list names \"x-ci-custom\", but the request has no such header.")
    }))

  it.scopedLive("listed parameter absent from the request fails", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator({ strict: false })
      const result = yield* sendSigned(emulator, {
        method: "PUT",
        path: describePath,
        query: [["cancel", undefined]],
        body: "",
        tamper: (request) => ({ ...request, target: describePath })
      })

      const error = expectError(result, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toBe(
        "q-url-param-list names \"cancel\", but the request has no such query parameter."
      )
    }))

  it.scopedLive("unsorted q-header-list fails", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        headers: { "x-ci-custom": "value" },
        tamper: replaceAuthorization((authorization) =>
          authorization.replace("q-header-list=host;x-ci-custom", "q-header-list=x-ci-custom;host")
        )
      })

      const error = expectError(result, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toBe(
        "q-header-list must be sorted and unique: expected \"host;x-ci-custom\", got \"x-ci-custom;host\"."
      )
    }))

  it.scopedLive("strict mode requires a signed host", () =>
    Effect.gen(function*() {
      const strict = yield* startEmulator()
      const lenient = yield* startEmulator({ strict: false })
      const request = { method: "GET", path: describePath, unsignedHeaders: ["host"] }

      const strictResult = yield* sendSigned(strict, request)
      const lenientResult = yield* sendSigned(lenient, request)

      const error = expectError(strictResult, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toBe("q-header-list must include host; the emulator runs in strict mode.")
      expect(lenientResult.status).toBe(200)
    }))

  it.scopedLive("unsigned ?cancel is rejected only in strict mode", () =>
    Effect.gen(function*() {
      const strict = yield* startEmulator()
      const lenient = yield* startEmulator({ strict: false })
      const strictJob = yield* strict.seedJob({ state: "Running" })
      const lenientJob = yield* lenient.seedJob({ state: "Running" })
      const cancelOf = (id: string) => ({
        method: "PUT",
        path: `/inventorytriggerjob/${id}`,
        query: [["cancel", undefined]] as const,
        body: "",
        unsignedQuery: ["cancel"]
      })

      const strictResult = yield* sendSigned(strict, cancelOf(strictJob.jobId))
      const lenientResult = yield* sendSigned(lenient, cancelOf(lenientJob.jobId))

      const error = expectError(strictResult, 403, "SignatureDoesNotMatch")
      expect(error["Message"]).toBe(
        "Query parameter \"cancel\" is not in q-url-param-list; the emulator runs in strict mode."
      )
      expect(lenientResult.status).toBe(200)
      expect((yield* lenient.getJob(lenientJob.jobId)).pipe((job) => job._tag === "Some" && job.value.state)).toBe(
        "Cancel"
      )
      expect((yield* strict.getJob(strictJob.jobId)).pipe((job) => job._tag === "Some" && job.value.state)).toBe(
        "Running"
      )
    }))

  it.scopedLive("?cancel and ?cancel= are both signed as an empty value", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const first = yield* emulator.seedJob({ state: "Running" })
      const second = yield* emulator.seedJob({ state: "Running" })

      const bare = yield* sendSigned(emulator, {
        method: "PUT",
        path: `/inventorytriggerjob/${first.jobId}`,
        query: [["cancel", undefined]],
        body: ""
      })
      const withEquals = yield* sendSigned(emulator, {
        method: "PUT",
        path: `/inventorytriggerjob/${second.jobId}`,
        query: [["cancel", ""]],
        body: ""
      })

      expect(bare.status).toBe(200)
      expect(withEquals.status).toBe(200)
      const log = yield* emulator.requests
      expect(log.map((entry) => entry.url)).toEqual([
        `/inventorytriggerjob/${first.jobId}?cancel`,
        `/inventorytriggerjob/${second.jobId}?cancel=`
      ])
    }))

  it.scopedLive("a literal + in a query value is signed as +", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const signed = signRequest(emulator.port, {
        method: "GET",
        path: "/inventorytriggerjob",
        query: [["startCreationTime", "2023-11-15T00:00:00+0800"]]
      })
      // Send the + unescaped, as some clients do; URLSearchParams would read it as a space.
      const result = yield* sendRaw(emulator.port, {
        ...signed,
        target: "/inventorytriggerjob?startCreationTime=2023-11-15T00:00:00+0800"
      })

      expectXmlResponse(result)
    }))

  it.scopedLive("signed unicode path with an escaped slash passes", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      // The signature covers the decoded path, so the escaped slash stays inside the job id.
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: "/inventorytriggerjob/任务 a/b",
        tamper: (request) => ({ ...request, target: `/inventorytriggerjob/${encodeURIComponent("任务 a/b")}` })
      })

      const response = expectXmlResponse(result)
      expect(response["NonExistJobIds"]).toBe("任务 a/b")
      const log = yield* emulator.requests
      expect(log[0]!.url).toBe("/inventorytriggerjob/%E4%BB%BB%E5%8A%A1%20a%2Fb")
    }))

  it.scopedLive("malformed percent-escape gives InvalidArgument", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: describePath,
        tamper: (request) => ({ ...request, target: "/inventorytriggerjob/b%zz" })
      })

      const error = expectError(result, 400, "InvalidArgument")
      expect(error["Message"]).toBe("the request path contains a malformed percent-escape: \"b%zz\"")
    }))

  it.scopedLive("repeated query parameter gives InvalidArgument", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, {
        method: "GET",
        path: "/inventorytriggerjob",
        query: [["size", "5"]],
        tamper: (request) => ({ ...request, target: "/inventorytriggerjob?size=5&size=6" })
      })

      const error = expectError(result, 400, "InvalidArgument")
      expect(error["Message"]).toBe("query parameter \"size\" appears more than once")
    }))

  describe("session token", () => {
    const options = { credentials: [temporaryCredential] }
    const token = Redacted.value(temporaryCredential.sessionToken!)

    it.scopedLive("missing token gives AccessDenied", () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator(options)
        const result = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          credential: temporaryCredential
        })

        const error = expectError(result, 403, "AccessDenied")
        expect(error["Message"]).toBe("The x-ci-security-token header is missing; temporary credentials need it.")
      }))

    it.scopedLive("wrong token gives AccessDenied", () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator(options)
        const result = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          credential: temporaryCredential,
          headers: { "x-ci-security-token": `${token}x` }
        })

        const error = expectError(result, 403, "AccessDenied")
        expect(error["Message"]).toBe("The x-ci-security-token header is invalid for SecretId AKIDTEMPORARY.")
      }))

    it.scopedLive("token passes signed or unsigned", () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator(options)
        const signed = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          credential: temporaryCredential,
          headers: { "x-ci-security-token": token }
        })
        const unsigned = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          credential: temporaryCredential,
          headers: { "x-ci-security-token": token },
          unsignedHeaders: ["x-ci-security-token"]
        })

        expect(signed.status).toBe(200)
        expect(unsigned.status).toBe(200)
        const log = yield* emulator.requests
        const authorizations = log.map((entry) => Signer.parseAuthorization(entry.headers["authorization"]!))
        expect(authorizations.map((parsed) => parsed._tag === "Right" && parsed.right.headerList)).toEqual([
          ["host", "x-ci-security-token"],
          ["host"]
        ])
      }))

    it.scopedLive("a signature mismatch does not quote the token", () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator(options)
        const result = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          credential: { ...temporaryCredential, secretKey: Redacted.make("WRONG-KEY") },
          headers: { "x-ci-security-token": token }
        })

        const error = expectError(result, 403, "SignatureDoesNotMatch")
        expect(error["Message"]).toContain("&x-ci-security-token=<redacted>")
        expect(result.body).not.toContain(token)
        expect(result.body).not.toContain(Signer.encode(token))
      }))

    it.scopedLive("credential without a token ignores the header", () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const result = yield* sendSigned(emulator, {
          method: "GET",
          path: describePath,
          headers: { "x-ci-security-token": "anything" }
        })

        expect(result.status).toBe(200)
      }))
  })

  describe("reference vectors from cos-nodejs-sdk-v5 3.0.0", () => {
    // The SDK's published sample keys and key time, with requests as the SDK signed them.
    const sdkCredential = {
      secretId: "AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q",
      secretKey: Redacted.make("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz")
    }
    const ciHost = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"
    const sdkJobId = "b8f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e"
    const prefix = "q-sign-algorithm=sha1&q-ak=AKIDQjz3ltompVjBni5LitkWHFlFpwkn9U5q" +
      "&q-sign-time=1700000000;1700003600&q-key-time=1700000000;1700003600&"
    const startSdkEmulator = startEmulator({ credentials: [sdkCredential], now: () => 1_700_000_060_000 })

    it.scopedLive("N1 cancel passes", () =>
      Effect.gen(function*() {
        const emulator = yield* startSdkEmulator
        yield* emulator.seedJob({ jobId: sdkJobId, state: "Running" })
        const result = yield* sendRaw(emulator.port, {
          method: "PUT",
          target: `/inventorytriggerjob/${sdkJobId}?cancel`,
          headers: {
            Host: ciHost,
            "Content-Length": "0",
            Authorization: prefix +
              "q-header-list=content-length;host&q-url-param-list=cancel&q-signature=0b1ed3061bdd28b7c25b68e626b82d238aa3ba5c"
          },
          body: ""
        })

        expect(result.status).toBe(200)
      }))

    it.scopedLive("N2 describe passes", () =>
      Effect.gen(function*() {
        const emulator = yield* startSdkEmulator
        const result = yield* sendRaw(emulator.port, {
          method: "GET",
          target: `/inventorytriggerjob/${sdkJobId}`,
          headers: {
            Host: ciHost,
            Authorization: prefix +
              "q-header-list=host&q-url-param-list=&q-signature=20dc1d671b3b9c1bac331c56ff60de3bb1653321"
          }
        })

        expect(result.status).toBe(200)
      }))

    it.scopedLive("N3 list passes", () =>
      Effect.gen(function*() {
        const emulator = yield* startSdkEmulator
        const result = yield* sendRaw(emulator.port, {
          method: "GET",
          target: "/inventorytriggerjob?size=100&states=Running%2CFailed&orderByTime=Asc&type=Job&nextToken=" +
            "&startCreationTime=2022-02-25T12%3A00%3A00%2B0800&endCreationTime=2022-02-28T12%3A00%3A00%2B0800" +
            "&workflowId=w1234567890abcdef",
          headers: {
            Host: ciHost,
            Authorization: prefix +
              "q-header-list=host&q-url-param-list=endcreationtime;nexttoken;orderbytime;size;startcreationtime;states;type;workflowid" +
              "&q-signature=9bd908d4dfdb292285c87a597ced4ae746182c7a"
          }
        })

        expect(result.status).toBe(200)
      }))

    it.scopedLive("N1b unsigned cancel passes only in non-strict mode", () =>
      Effect.gen(function*() {
        const strict = yield* startSdkEmulator
        const lenient = yield* startEmulator({
          credentials: [sdkCredential],
          now: () => 1_700_000_060_000,
          strict: false
        })
        const send = (port: number) =>
          sendRaw(port, {
            method: "PUT",
            target: `/inventorytriggerjob/${sdkJobId}?cancel`,
            headers: {
              Host: ciHost,
              "Content-Length": "0",
              Authorization: prefix +
                "q-header-list=content-length;host&q-url-param-list=&q-signature=1beeb4fc5c12aa41dcae2d0d23d4571a830497a0"
            },
            body: ""
          })
        yield* strict.seedJob({ jobId: sdkJobId, state: "Running" })
        yield* lenient.seedJob({ jobId: sdkJobId, state: "Running" })

        expectError(yield* send(strict.port), 403, "SignatureDoesNotMatch")
        expect((yield* send(lenient.port)).status).toBe(200)
      }))
  })

  it.scopedLive("auth runs before routing", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendRaw(emulator.port, { method: "DELETE", target: "/unknown" })

      expectError(result, 401, "MissingAuthorization")
    }))
})
