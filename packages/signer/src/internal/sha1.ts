/**
 * SHA-1 and HMAC-SHA1 in plain JavaScript, for the short strings a signature hashes.
 *
 * A signature hashes about 200 bytes in total. At that size the cost of `node:crypto` is the call
 * into the binding and the hash object it creates, not the compression, so hashing here is several
 * times faster. Strings are hashed as UTF-8, with a lone surrogate as U+FFFD, as `Buffer.from` and
 * `hash.update(text, "utf8")` encode them.
 *
 * The functions share module-level buffers. They never call out while hashing, so one call always
 * finishes before the next one starts.
 */

/** SHA-1 chaining state: five 32-bit words. */
export type State = Int32Array

// Message schedule of the block being compressed: words 0 to 15 come from the message.
const w = new Int32Array(80)
const state = new Int32Array(5)
let blockBytes = 0
let totalBytes = 0

const initialState: State = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0)

// Five rounds per loop step, with the working variables renamed instead of shifted.
const compress = (): void => {
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
    w[t] = (x << 1) | (x >>> 31)
  }
  let a = state[0]
  let b = state[1]
  let c = state[2]
  let d = state[3]
  let e = state[4]
  for (let t = 0; t < 20; t += 5) {
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w[t + 0] + 0x5a827999) | 0
    b = (b << 30) | (b >>> 2)
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w[t + 1] + 0x5a827999) | 0
    a = (a << 30) | (a >>> 2)
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w[t + 2] + 0x5a827999) | 0
    e = (e << 30) | (e >>> 2)
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w[t + 3] + 0x5a827999) | 0
    d = (d << 30) | (d >>> 2)
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w[t + 4] + 0x5a827999) | 0
    c = (c << 30) | (c >>> 2)
  }
  for (let t = 20; t < 40; t += 5) {
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t + 0] + 0x6ed9eba1) | 0
    b = (b << 30) | (b >>> 2)
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w[t + 1] + 0x6ed9eba1) | 0
    a = (a << 30) | (a >>> 2)
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w[t + 2] + 0x6ed9eba1) | 0
    e = (e << 30) | (e >>> 2)
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w[t + 3] + 0x6ed9eba1) | 0
    d = (d << 30) | (d >>> 2)
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w[t + 4] + 0x6ed9eba1) | 0
    c = (c << 30) | (c >>> 2)
  }
  for (let t = 40; t < 60; t += 5) {
    e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w[t + 0] + -0x70e44324) | 0
    b = (b << 30) | (b >>> 2)
    d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w[t + 1] + -0x70e44324) | 0
    a = (a << 30) | (a >>> 2)
    c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w[t + 2] + -0x70e44324) | 0
    e = (e << 30) | (e >>> 2)
    b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w[t + 3] + -0x70e44324) | 0
    d = (d << 30) | (d >>> 2)
    a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w[t + 4] + -0x70e44324) | 0
    c = (c << 30) | (c >>> 2)
  }
  for (let t = 60; t < 80; t += 5) {
    e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t + 0] + -0x359d3e2a) | 0
    b = (b << 30) | (b >>> 2)
    d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w[t + 1] + -0x359d3e2a) | 0
    a = (a << 30) | (a >>> 2)
    c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w[t + 2] + -0x359d3e2a) | 0
    e = (e << 30) | (e >>> 2)
    b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w[t + 3] + -0x359d3e2a) | 0
    d = (d << 30) | (d >>> 2)
    a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w[t + 4] + -0x359d3e2a) | 0
    c = (c << 30) | (c >>> 2)
  }
  state[0] = (state[0] + a) | 0
  state[1] = (state[1] + b) | 0
  state[2] = (state[2] + c) | 0
  state[3] = (state[3] + d) | 0
  state[4] = (state[4] + e) | 0
}

/** Starts a hash from `from`, which has already absorbed `absorbedBytes` (a multiple of 64). */
const begin = (from: State, absorbedBytes: number): void => {
  state.set(from)
  blockBytes = 0
  totalBytes = absorbedBytes
}

const pushByte = (byte: number): void => {
  const index = blockBytes >> 2
  const shift = (3 - (blockBytes & 3)) << 3
  w[index] = (blockBytes & 3) === 0 ? byte << shift : w[index] | (byte << shift)
  blockBytes += 1
  totalBytes += 1
  if (blockBytes === 64) {
    compress()
    blockBytes = 0
  }
}

/** Absorbs the UTF-8 form of `text`. */
const update = (text: string): void => {
  const length = text.length
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) {
      pushByte(code)
    } else if (code < 0x800) {
      pushByte(0xc0 | (code >> 6))
      pushByte(0x80 | (code & 0x3f))
    } else if (code < 0xd800 || code > 0xdfff) {
      pushByte(0xe0 | (code >> 12))
      pushByte(0x80 | ((code >> 6) & 0x3f))
      pushByte(0x80 | (code & 0x3f))
    } else {
      const low = i + 1 < length ? text.charCodeAt(i + 1) : 0
      if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
        pushByte(0xf0 | (point >> 18))
        pushByte(0x80 | ((point >> 12) & 0x3f))
        pushByte(0x80 | ((point >> 6) & 0x3f))
        pushByte(0x80 | (point & 0x3f))
        i += 1
      } else {
        // A lone surrogate has no UTF-8 form; Node encodes it as U+FFFD.
        pushByte(0xef)
        pushByte(0xbf)
        pushByte(0xbd)
      }
    }
  }
}

/** Absorbs raw bytes, each given as a number from 0 to 255. */
const updateBytes = (bytes: ArrayLike<number>): void => {
  for (let i = 0; i < bytes.length; i++) {
    pushByte(bytes[i])
  }
}

/** Pads the message and leaves the digest in `state`. */
const finish = (): void => {
  const bits = totalBytes * 8
  pushByte(0x80)
  while (blockBytes !== 56) {
    pushByte(0)
  }
  w[14] = Math.floor(bits / 0x100000000)
  w[15] = bits | 0
  compress()
}

const hexBytes: ReadonlyArray<string> = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"))

const hexWord = (word: number): string =>
  hexBytes[word >>> 24] + hexBytes[(word >>> 16) & 0xff] + hexBytes[(word >>> 8) & 0xff] + hexBytes[word & 0xff]

/** Formats the current `state` as 40 lower-case hex digits. */
const stateHex = (): string =>
  hexWord(state[0]) + hexWord(state[1]) + hexWord(state[2]) + hexWord(state[3]) + hexWord(state[4])

/**
 * Returns the lower-case hex SHA-1 of the UTF-8 form of the concatenated `parts`, without joining them.
 *
 * @internal
 */
export const sha1Hex = (...parts: ReadonlyArray<string>): string => {
  begin(initialState, 0)
  for (const part of parts) {
    update(part)
  }
  finish()
  return stateHex()
}

/**
 * The HMAC-SHA1 key schedule: the hash states after the inner (`key ^ 0x36`) and outer
 * (`key ^ 0x5c`) pad blocks. Deriving it costs two compressions, which every later HMAC with the
 * same key then skips.
 *
 * @internal
 */
export interface HmacKey {
  readonly inner: State
  readonly outer: State
}

const padState = (key: ArrayLike<number>, pad: number): State => {
  begin(initialState, 0)
  for (let i = 0; i < 64; i++) {
    pushByte((i < key.length ? key[i] : 0) ^ pad)
  }
  return Int32Array.from(state)
}

/**
 * Prepares an HMAC-SHA1 key from the UTF-8 form of `key`. A key longer than the 64-byte block is
 * hashed first, as RFC 2104 requires.
 *
 * @internal
 */
export const hmacKey = (key: string): HmacKey => {
  let bytes: ArrayLike<number> = new TextEncoder().encode(key)
  if (bytes.length > 64) {
    begin(initialState, 0)
    updateBytes(bytes)
    finish()
    bytes = digestBytes()
  }
  return { inner: padState(bytes, 0x36), outer: padState(bytes, 0x5c) }
}

const digestBytes = (): Array<number> => {
  const bytes: Array<number> = []
  for (let i = 0; i < 5; i++) {
    bytes.push(state[i] >>> 24, (state[i] >>> 16) & 0xff, (state[i] >>> 8) & 0xff, state[i] & 0xff)
  }
  return bytes
}

/**
 * Returns the lower-case hex HMAC-SHA1 of the UTF-8 form of the concatenated `parts`.
 *
 * @internal
 */
export const hmacHex = (key: HmacKey, ...parts: ReadonlyArray<string>): string => {
  begin(key.inner, 64)
  for (const part of parts) {
    update(part)
  }
  finish()

  // The outer hash absorbs the 20-byte inner digest, which fits one block with its padding.
  w[0] = state[0]
  w[1] = state[1]
  w[2] = state[2]
  w[3] = state[3]
  w[4] = state[4]
  w[5] = 0x80000000 | 0
  w.fill(0, 6, 15)
  w[15] = (64 + 20) * 8
  state.set(key.outer)
  compress()
  return stateHex()
}
