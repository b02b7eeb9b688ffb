import { describe, expect, it } from "@effect/vitest"
import * as FastCheck from "effect/FastCheck"
import * as Crypto from "node:crypto"
import * as Sha1 from "../src/internal/sha1.js"

const nodeSha1 = (text: string) => Crypto.createHash("sha1").update(text, "utf8").digest("hex")

// Whole code points, and raw UTF-16 code units, which include lone surrogates.
const text = (maxLength: number) =>
  FastCheck.oneof(
    FastCheck.string({ unit: "binary", maxLength }),
    FastCheck.array(FastCheck.integer({ min: 0, max: 0xffff }), { maxLength }).map((units) =>
      String.fromCharCode(...units)
    )
  )

const digestOf = (text: string): Sha1.State => {
  const digest = new Int32Array(5)
  Sha1.sha1(text, digest)
  return digest
}

describe("sha1", () => {
  it("matches node:crypto at every length around the block boundaries", () => {
    for (let length = 0; length <= 200; length++) {
      const text = "abcdefghij".repeat(21).slice(0, length)
      expect(Sha1.sha1Hex(text), `length ${length}`).toBe(nodeSha1(text))
    }
  })

  it("encodes non-ASCII text as UTF-8", () => {
    const cases = ["é", "值 value", "/exampleobject(腾讯云)", "😀", "a😀b", "\u07ff\u0800\uffff", "x".repeat(63) + "值"]
    for (const text of cases) {
      expect(Sha1.sha1Hex(text), text).toBe(nodeSha1(text))
    }
  })

  it("hashes a lone surrogate as U+FFFD", () => {
    for (const text of ["\ud800", "\udc00", "a\ud800b", "\ud83d", "abc\ude00", "\ude00\ud83d"]) {
      expect(Sha1.sha1Hex(text), JSON.stringify(text)).toBe(nodeSha1(text))
      expect(Sha1.sha1Hex(text)).toBe(nodeSha1(text.toWellFormed()))
    }
  })

  it.prop("matches node:crypto on generated text", [text(300)], ([generated]) => {
    expect(Sha1.sha1Hex(generated)).toBe(nodeSha1(generated))
  }, { fastCheck: { numRuns: 500 } })

  it("writes the digest that sha1Hex formats", () => {
    const digest = digestOf("put\n/inventorytriggerjob\n\nhost=example\n")
    const hex = Array.from(digest, (word) => (word >>> 0).toString(16).padStart(8, "0")).join("")
    expect(hex).toBe(nodeSha1("put\n/inventorytriggerjob\n\nhost=example\n"))
  })
})

describe("hmacHex", () => {
  const nodeHmac = (key: string, message: string) =>
    Crypto.createHmac("sha1", key).update(message, "utf8").digest("hex")

  it("matches node:crypto for keys shorter than, equal to and longer than a block", () => {
    const keys = [
      "",
      "k",
      "472ce45f70b562f91089efd947ae913134e4b890",
      "x".repeat(64),
      "y".repeat(65),
      "密钥".repeat(40)
    ]
    const bodies = ["", "a", "abcdefghij".repeat(10)]
    for (const key of keys) {
      for (const body of bodies) {
        const digest = digestOf(body)
        const hex = Sha1.sha1Hex(body)
        const head = "sha1\n1700000000;1700000900\n"
        expect(Sha1.hmacHex(Sha1.hmacKey(key), head, digest, "\n"), `key length ${key.length}`).toBe(
          nodeHmac(key, `${head}${hex}\n`)
        )
      }
    }
  })

  it.prop(
    "matches node:crypto on generated keys and messages",
    [text(100), text(100)],
    ([key, head]) => {
      const digest = digestOf(head)
      expect(Sha1.hmacHex(Sha1.hmacKey(key), head, digest, head)).toBe(
        nodeHmac(key, `${head}${Sha1.sha1Hex(head)}${head}`)
      )
    },
    { fastCheck: { numRuns: 300 } }
  )

  it("keeps a key usable after other hashes ran", () => {
    const key = Sha1.hmacKey("472ce45f70b562f91089efd947ae913134e4b890")
    const digest = digestOf("first")
    const before = Sha1.hmacHex(key, "head\n", digest, "\n")
    Sha1.hmacKey("another key")
    Sha1.sha1Hex("another message")
    expect(Sha1.hmacHex(key, "head\n", digest, "\n")).toBe(before)
  })
})
