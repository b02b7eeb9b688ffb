import * as Signer from "@effect-cos/signer/Signer"
import { describe, expect, it } from "@effect/vitest"
import COS from "cos-nodejs-sdk-v5"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import { fixture, type Vector, vectors } from "./vectors.js"

const signVector = (vector: Vector): Signer.Signature =>
  Signer.computeSignature({
    method: vector.method,
    pathname: vector.pathname,
    query: vector.query,
    headers: vector.headers,
    secretId: vector.secretId,
    secretKey: Redacted.make(vector.secretKey),
    keyTime: vector.keyTime,
    shouldSignHeader: vector.signAllHeaders === true ? () => true : undefined
  })

const sha1 = (text: string) => Crypto.createHash("sha1").update(text, "utf8").digest("hex")

describe("Signer", () => {
  describe("known-answer vectors", () => {
    for (const vector of vectors) {
      it(`${vector.name}: ${vector.description}`, () => {
        const result = signVector(vector)
        const keyTime = Signer.formatKeyTime(vector.keyTime)

        expect(result.headerList).toBe(vector.expected.headerList)
        expect(result.urlParamList).toBe(vector.expected.urlParamList)
        if (vector.expected.httpString !== undefined) {
          expect(result.httpString).toBe(vector.expected.httpString)
        }
        if (vector.expected.httpStringSha1 !== undefined) {
          expect(sha1(result.httpString)).toBe(vector.expected.httpStringSha1)
        }
        expect(result.stringToSign).toBe(`sha1\n${keyTime}\n${sha1(result.httpString)}\n`)
        expect(result.signature).toBe(vector.expected.signature)
        expect(result.authorization).toBe(
          `q-sign-algorithm=sha1&q-ak=${vector.secretId}&q-sign-time=${keyTime}&q-key-time=${keyTime}` +
            `&q-header-list=${vector.expected.headerList}&q-url-param-list=${vector.expected.urlParamList}` +
            `&q-signature=${vector.expected.signature}`
        )
      })
    }
  })

  it("derives the documented SignKey", () => {
    expect(Redacted.value(Signer.signKey(Redacted.make(fixture.secretKey), fixture.keyTime))).toBe(fixture.signKey)
    expect(
      Redacted.value(
        Signer.signKey(Redacted.make("BQYIM75p8x0iWVFSIgqEKwFprpRSVHlz"), { start: 1557989151, end: 1557996351 })
      )
    ).toBe("eb2519b498b02ac213cb1f3d1a3d27a3b3c9bc5f")
  })

  it("V1 is the whole cancel Authorization", () => {
    const authorization = Signer.sign({
      method: "PUT",
      pathname: `/inventorytriggerjob/${fixture.jobId}`,
      query: { cancel: "" },
      headers: { host: fixture.ciHost, "content-length": "0" },
      secretId: fixture.secretId,
      secretKey: Redacted.make(fixture.secretKey),
      keyTime: fixture.keyTime
    })
    expect(authorization).toBe(
      "q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900" +
        "&q-header-list=content-length;host&q-url-param-list=cancel&q-signature=d620db259e4ab008ea0c4e8966c9d47e6d9de151"
    )
  })

  it("signs the given host, not the COS host", () => {
    const base = {
      method: "PUT",
      pathname: `/inventorytriggerjob/${fixture.jobId}`,
      query: { cancel: "" },
      secretId: fixture.secretId,
      secretKey: Redacted.make(fixture.secretKey),
      keyTime: fixture.keyTime
    }
    const onCos = Signer.computeSignature({ ...base, headers: { host: fixture.cosHost, "content-length": "0" } })
    const onCi = Signer.computeSignature({ ...base, headers: { host: fixture.ciHost, "content-length": "0" } })

    expect(onCos.signature).toBe("093859e4b629716177d9ee181124477c2d34bcae")
    expect(onCi.signature).toBe("d620db259e4ab008ea0c4e8966c9d47e6d9de151")
    expect(onCi.httpString).toContain(`host=${fixture.ciHost}`)
  })

  describe("input checks", () => {
    const base: Signer.SignInput = {
      method: "PUT",
      pathname: "/inventorytriggerjob/b1",
      secretId: fixture.secretId,
      secretKey: Redacted.make(fixture.secretKey),
      keyTime: fixture.keyTime
    }
    const cases: ReadonlyArray<readonly [string, Partial<Signer.SignInput>, string]> = [
      ["a SecretId with a field separator", { secretId: "AKID&q-signature=0" }, "secretId must be printable ASCII"],
      ["a SecretId with a space", { secretId: "AKID X" }, "secretId must be printable ASCII"],
      ["an empty SecretId", { secretId: "" }, "secretId must be printable ASCII"],
      ["a fractional key time", { keyTime: { start: 1.5, end: 2 } }, "keyTime must be whole Unix seconds"],
      ["a NaN key time", { keyTime: { start: Number.NaN, end: 2 } }, "keyTime must be whole Unix seconds"],
      ["a key time that ends first", { keyTime: { start: 5, end: 2 } }, "keyTime must be whole Unix seconds"],
      ["a negative key time", { keyTime: { start: -1, end: 2 } }, "keyTime must be whole Unix seconds"],
      ["a method with a space", { method: "GET X" }, "method must be an HTTP method name"]
    ]
    for (const [name, override, message] of cases) {
      it(`rejects ${name}`, () => {
        expect(() => Signer.sign({ ...base, ...override })).toThrow(message)
      })
    }
  })

  describe("isSignableHeader", () => {
    it("accepts the allow-list in any case", () => {
      for (const name of ["Host", "HOST", "content-length", "Content-Type", "CONTENT-MD5", "Range", "Pic-Operations"]) {
        expect(Signer.isSignableHeader(name), name).toBe(true)
      }
    })

    it("accepts x-cos- and x-ci- prefixes only at the start", () => {
      expect(Signer.isSignableHeader("X-Cos-Acl")).toBe(true)
      expect(Signer.isSignableHeader("x-ci-security-token")).toBe(true)
      expect(Signer.isSignableHeader("my-x-ci-header")).toBe(false)
      expect(Signer.isSignableHeader("x-cosmos")).toBe(false)
    })

    it("rejects headers that the HTTP stack or a proxy controls", () => {
      for (
        const name of [
          "user-agent",
          "User-Agent",
          "accept",
          "accept-encoding",
          "Accept-Language",
          "connection",
          "date",
          "sec-fetch-mode",
          "authorization"
        ]
      ) {
        expect(Signer.isSignableHeader(name), name).toBe(false)
      }
    })
  })

  describe("encode", () => {
    it("escapes everything but the unreserved characters", () => {
      expect(Signer.encode("AZaz09-_.~")).toBe("AZaz09-_.~")
      expect(Signer.encode(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}")).toBe(
        "%20%21%22%23%24%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E%60%7B%7C%7D"
      )
      expect(Signer.encode("值")).toBe("%E5%80%BC")
    })

    it("lower-cases keys after encoding", () => {
      expect(Signer.canonicalKey("a/B")).toBe("a%2fb")
      expect(Signer.canonicalKey("é")).toBe("%c3%a9")
    })
  })

  describe("parseAuthorization", () => {
    const v1 =
      "q-sign-algorithm=sha1&q-ak=AKIDEXAMPLE&q-sign-time=1700000000;1700000900&q-key-time=1700000000;1700000900" +
      "&q-header-list=content-length;host&q-url-param-list=cancel&q-signature=d620db259e4ab008ea0c4e8966c9d47e6d9de151"

    it("reads every field", () => {
      expect(Signer.parseAuthorization(v1)).toStrictEqual(Either.right({
        secretId: "AKIDEXAMPLE",
        signTime: { start: 1700000000, end: 1700000900 },
        keyTime: { start: 1700000000, end: 1700000900 },
        headerList: ["content-length", "host"],
        urlParamList: ["cancel"],
        signature: "d620db259e4ab008ea0c4e8966c9d47e6d9de151"
      }))
    })

    it("reads empty lists as empty arrays", () => {
      const parsed = Signer.parseAuthorization(v1.replace("content-length;host", "").replace("=cancel", "="))
      expect(Either.map(parsed, (value) => [value.headerList, value.urlParamList])).toStrictEqual(
        Either.right([[], []])
      )
    })

    it("rejects malformed values with the reason", () => {
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["", "field \"\" has no \"=\""],
        ["Bearer abc", "field \"Bearer abc\" has no \"=\""],
        [
          v1.replace("q-sign-algorithm=sha1", "q-sign-algorithm=sha256"),
          "q-sign-algorithm must be \"sha1\", got \"sha256\""
        ],
        [v1.replace("&q-ak=AKIDEXAMPLE", ""), "missing q-ak"],
        [v1 + "&q-ak=AKIDOTHER", "field \"q-ak\" appears more than once"],
        [v1 + "&q-extra=1", "unknown field \"q-extra\""],
        [
          v1.replace("q-sign-time=1700000000;1700000900", "q-sign-time=1700000900;1700000000"),
          "q-sign-time starts after it ends: \"1700000900;1700000000\""
        ],
        [
          v1.replace("q-key-time=1700000000;1700000900", "q-key-time=soon"),
          "q-key-time must be \"<start>;<end>\" in Unix seconds, got \"soon\""
        ],
        [v1.replace("d620db259e4ab008ea0c4e8966c9d47e6d9de151", "D620"), "q-signature must be 40 lower-case hex digits"]
      ]
      for (const [header, reason] of cases) {
        expect(Signer.parseAuthorization(header), header).toStrictEqual(Either.left(reason))
      }
    })
  })

  describe("cached key material", () => {
    const request = {
      method: "PUT" as const,
      pathname: `/inventorytriggerjob/${fixture.jobId}`,
      query: { cancel: "" },
      headers: { host: fixture.ciHost, "content-length": "0" },
      secretId: fixture.secretId
    }
    const official = (secretKey: string, keyTime: Signer.KeyTime, secretId: string = fixture.secretId) =>
      COS.getAuthorization({
        SecretId: secretId,
        SecretKey: secretKey,
        KeyTime: Signer.formatKeyTime(keyTime),
        Method: request.method,
        Pathname: request.pathname,
        Query: request.query,
        Headers: request.headers
      })

    it("follows a change of key time for the same secret", () => {
      const secretKey = Redacted.make(fixture.secretKey)
      const keyTimes = [
        { start: 1700000000, end: 1700000900 },
        { start: 1700000001, end: 1700000901 },
        { start: 1700000001, end: 1700000902 },
        { start: 1700000000, end: 1700000900 }
      ]
      for (const keyTime of keyTimes) {
        expect(Signer.sign({ ...request, secretKey, keyTime }), Signer.formatKeyTime(keyTime)).toBe(
          official(fixture.secretKey, keyTime)
        )
      }
    })

    it("keeps secrets with the same key time apart", () => {
      const first = Redacted.make(fixture.secretKey)
      const second = Redacted.make("ANOTHERSECRETKEY")
      const keyTime = fixture.keyTime
      for (let round = 0; round < 2; round++) {
        expect(Signer.sign({ ...request, secretKey: first, keyTime })).toBe(official(fixture.secretKey, keyTime))
        expect(Signer.sign({ ...request, secretKey: second, keyTime })).toBe(official("ANOTHERSECRETKEY", keyTime))
      }
    })

    it("checks every SecretId, not only the first", () => {
      const secretKey = Redacted.make(fixture.secretKey)
      const keyTime = fixture.keyTime
      expect(Signer.sign({ ...request, secretKey, keyTime, secretId: "AKIDOTHER" })).toBe(
        official(fixture.secretKey, keyTime, "AKIDOTHER")
      )
      expect(() => Signer.sign({ ...request, secretKey, keyTime, secretId: "AKID&q-ak=x" })).toThrow(TypeError)
      expect(Signer.sign({ ...request, secretKey, keyTime })).toBe(official(fixture.secretKey, keyTime))
    })

    it("checks every method, not only the first", () => {
      const secretKey = Redacted.make(fixture.secretKey)
      const keyTime = fixture.keyTime
      expect(Signer.computeSignature({ ...request, secretKey, keyTime, method: "M-SEARCH" }).httpString).toMatch(
        /^m-search\n/
      )
      expect(() => Signer.sign({ ...request, secretKey, keyTime, method: "PUT X" })).toThrow(TypeError)
      expect(Signer.computeSignature({ ...request, secretKey, keyTime, method: "Put" }).httpString).toMatch(/^put\n/)
    })

    it("signs more distinct names than the name caches hold", () => {
      const secretKey = Redacted.make(fixture.secretKey)
      const keyTime = fixture.keyTime
      for (let i = 0; i < 600; i += 50) {
        const headers: Record<string, string> = { host: fixture.ciHost }
        const query: Record<string, string> = {}
        for (let j = i; j < i + 50; j++) {
          headers[`x-cos-meta-Name${j}`] = `v${j}`
          query[`p${j}`] = `${j}`
        }
        expect(Signer.sign({ ...request, headers, query, secretKey, keyTime }), `names ${i}`).toBe(
          COS.getAuthorization({
            SecretId: fixture.secretId,
            SecretKey: fixture.secretKey,
            KeyTime: Signer.formatKeyTime(keyTime),
            Method: request.method,
            Pathname: request.pathname,
            Query: query,
            Headers: headers
          })
        )
      }
    })

    it("applies a custom header filter to a name the default filter has seen", () => {
      const secretKey = Redacted.make(fixture.secretKey)
      const keyTime = fixture.keyTime
      const headers = { host: fixture.ciHost, date: "Thu, 16 May 2019 06:45:51 GMT" }
      expect(Signer.computeSignature({ ...request, headers, secretKey, keyTime }).headerList).toBe("host")
      expect(
        Signer.computeSignature({ ...request, headers, secretKey, keyTime, shouldSignHeader: () => true }).headerList
      ).toBe("date;host")
      expect(Signer.computeSignature({ ...request, headers, secretKey, keyTime }).headerList).toBe("host")
    })
  })

  describe("against cos-nodejs-sdk-v5@3.0.0", () => {
    // The SDK sorts the key=value line by raw key and its list by encoded key, so the two agree only
    // for names made of characters that encoding leaves alone.
    const safeName = FastCheck.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/).filter((name) => name !== "__proto__")
    const text = FastCheck.oneof(FastCheck.string(), FastCheck.string({ unit: "grapheme" }))
    const value = FastCheck.oneof(text, FastCheck.integer(), FastCheck.constant(null), FastCheck.constant(""))
    const headerName = FastCheck.oneof(
      FastCheck.constantFrom(
        ...Signer.signableHeaders,
        "user-agent",
        "date",
        "accept",
        "Accept-Encoding",
        "connection"
      ),
      safeName.map((name) => `x-cos-${name}`),
      safeName.map((name) => `X-Ci-${name}`),
      safeName
    )
    // Header names are unique ignoring case, as they are on the wire.
    const headers = FastCheck.uniqueArray(FastCheck.tuple(headerName, value), {
      selector: ([name]) => name.toLowerCase(),
      maxLength: 8
    })
    const request = FastCheck.record({
      method: FastCheck.constantFrom<COS.Method>("GET", "put", "post", "DELETE", "options"),
      pathname: FastCheck.oneof(text, text.map((path) => `/${path}`)).filter((path) => path !== ""),
      query: FastCheck.uniqueArray(FastCheck.tuple(safeName, value), {
        selector: ([name]) => name.toLowerCase(),
        maxLength: 8
      }),
      headers,
      keyTime: FastCheck.tuple(FastCheck.integer({ min: 0, max: 2_000_000_000 }), FastCheck.nat(100_000))
    })

    it.prop("agrees on 1,000 generated requests", [request], ([generated]) => {
      const query = Object.fromEntries(generated.query)
      const headers = Object.fromEntries(generated.headers)
      const [start, duration] = generated.keyTime

      const ours = Signer.sign({
        method: generated.method,
        pathname: generated.pathname,
        query,
        headers,
        secretId: fixture.secretId,
        secretKey: Redacted.make(fixture.secretKey),
        keyTime: { start, end: start + duration }
      })
      const theirs = COS.getAuthorization({
        SecretId: fixture.secretId,
        SecretKey: fixture.secretKey,
        KeyTime: `${start};${start + duration}`,
        Method: generated.method,
        Pathname: generated.pathname,
        Query: query,
        Headers: headers
      })

      expect(ours).toBe(theirs)
    }, { fastCheck: { numRuns: 1000 } })
  })
})
