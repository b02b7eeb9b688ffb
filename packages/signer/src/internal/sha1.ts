/**
 * SHA-1 and HMAC-SHA1 in plain JavaScript, for the short strings a signature hashes.
 *
 * A signature hashes about 200 bytes. At that size most of the cost of `node:crypto` is the call
 * into the binding and the hash object it creates, and the SHA-1 and HMAC of a cancel signature
 * take about half as long here (measured with `pnpm bench`, Node 20). Strings are hashed as UTF-8
 * with a lone surrogate as U+FFFD, which is how `Buffer.from` and `hash.update(text, "utf8")`
 * encode them.
 *
 * The functions share module-level buffers. None of them yields or calls user code while hashing, so
 * one call always finishes before the next starts.
 */

/**
 * A SHA-1 chaining state or digest: five 32-bit words.
 *
 * @internal
 */
export type State = Int32Array

// The 16 big-endian message words of the block being filled.
const block = new Int32Array(16)
const state = new Int32Array(5)
// Bytes of the current block absorbed so far, and bytes in the blocks already compressed.
let blockBytes = 0
let absorbedBytes = 0

const initialState: State = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0)

/**
 * Compresses `block` into `state` (FIPS 180-4, section 6.1.2). The 80 rounds are written out and the
 * message schedule is kept in 16 rolling locals, which V8 keeps in registers. On Node 20 this takes
 * about 100 ns per block, against about 200 ns for the loop over an 80-word array.
 */
const compress = (): void => {
  let w0 = block[0]
  let w1 = block[1]
  let w2 = block[2]
  let w3 = block[3]
  let w4 = block[4]
  let w5 = block[5]
  let w6 = block[6]
  let w7 = block[7]
  let w8 = block[8]
  let w9 = block[9]
  let w10 = block[10]
  let w11 = block[11]
  let w12 = block[12]
  let w13 = block[13]
  let w14 = block[14]
  let w15 = block[15]
  let a = state[0]
  let b = state[1]
  let c = state[2]
  let d = state[3]
  let e = state[4]
  let x = 0
  // Rounds 0 to 19.
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w0 + 0x5a827999) | 0
  b = (b << 30) | (b >>> 2)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w1 + 0x5a827999) | 0
  a = (a << 30) | (a >>> 2)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w2 + 0x5a827999) | 0
  e = (e << 30) | (e >>> 2)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w3 + 0x5a827999) | 0
  d = (d << 30) | (d >>> 2)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w4 + 0x5a827999) | 0
  c = (c << 30) | (c >>> 2)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w5 + 0x5a827999) | 0
  b = (b << 30) | (b >>> 2)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w6 + 0x5a827999) | 0
  a = (a << 30) | (a >>> 2)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w7 + 0x5a827999) | 0
  e = (e << 30) | (e >>> 2)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w8 + 0x5a827999) | 0
  d = (d << 30) | (d >>> 2)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w9 + 0x5a827999) | 0
  c = (c << 30) | (c >>> 2)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w10 + 0x5a827999) | 0
  b = (b << 30) | (b >>> 2)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w11 + 0x5a827999) | 0
  a = (a << 30) | (a >>> 2)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w12 + 0x5a827999) | 0
  e = (e << 30) | (e >>> 2)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w13 + 0x5a827999) | 0
  d = (d << 30) | (d >>> 2)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w14 + 0x5a827999) | 0
  c = (c << 30) | (c >>> 2)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w15 + 0x5a827999) | 0
  b = (b << 30) | (b >>> 2)
  x = w13 ^ w8 ^ w2 ^ w0
  w0 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (~a & c)) + d + w0 + 0x5a827999) | 0
  a = (a << 30) | (a >>> 2)
  x = w14 ^ w9 ^ w3 ^ w1
  w1 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (~e & b)) + c + w1 + 0x5a827999) | 0
  e = (e << 30) | (e >>> 2)
  x = w15 ^ w10 ^ w4 ^ w2
  w2 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (~d & a)) + b + w2 + 0x5a827999) | 0
  d = (d << 30) | (d >>> 2)
  x = w0 ^ w11 ^ w5 ^ w3
  w3 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (~c & e)) + a + w3 + 0x5a827999) | 0
  c = (c << 30) | (c >>> 2)

  // Rounds 20 to 39.
  x = w1 ^ w12 ^ w6 ^ w4
  w4 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w4 + 0x6ed9eba1) | 0
  b = (b << 30) | (b >>> 2)
  x = w2 ^ w13 ^ w7 ^ w5
  w5 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w5 + 0x6ed9eba1) | 0
  a = (a << 30) | (a >>> 2)
  x = w3 ^ w14 ^ w8 ^ w6
  w6 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w6 + 0x6ed9eba1) | 0
  e = (e << 30) | (e >>> 2)
  x = w4 ^ w15 ^ w9 ^ w7
  w7 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w7 + 0x6ed9eba1) | 0
  d = (d << 30) | (d >>> 2)
  x = w5 ^ w0 ^ w10 ^ w8
  w8 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w8 + 0x6ed9eba1) | 0
  c = (c << 30) | (c >>> 2)
  x = w6 ^ w1 ^ w11 ^ w9
  w9 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w9 + 0x6ed9eba1) | 0
  b = (b << 30) | (b >>> 2)
  x = w7 ^ w2 ^ w12 ^ w10
  w10 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w10 + 0x6ed9eba1) | 0
  a = (a << 30) | (a >>> 2)
  x = w8 ^ w3 ^ w13 ^ w11
  w11 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w11 + 0x6ed9eba1) | 0
  e = (e << 30) | (e >>> 2)
  x = w9 ^ w4 ^ w14 ^ w12
  w12 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w12 + 0x6ed9eba1) | 0
  d = (d << 30) | (d >>> 2)
  x = w10 ^ w5 ^ w15 ^ w13
  w13 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w13 + 0x6ed9eba1) | 0
  c = (c << 30) | (c >>> 2)
  x = w11 ^ w6 ^ w0 ^ w14
  w14 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w14 + 0x6ed9eba1) | 0
  b = (b << 30) | (b >>> 2)
  x = w12 ^ w7 ^ w1 ^ w15
  w15 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w15 + 0x6ed9eba1) | 0
  a = (a << 30) | (a >>> 2)
  x = w13 ^ w8 ^ w2 ^ w0
  w0 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w0 + 0x6ed9eba1) | 0
  e = (e << 30) | (e >>> 2)
  x = w14 ^ w9 ^ w3 ^ w1
  w1 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w1 + 0x6ed9eba1) | 0
  d = (d << 30) | (d >>> 2)
  x = w15 ^ w10 ^ w4 ^ w2
  w2 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w2 + 0x6ed9eba1) | 0
  c = (c << 30) | (c >>> 2)
  x = w0 ^ w11 ^ w5 ^ w3
  w3 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w3 + 0x6ed9eba1) | 0
  b = (b << 30) | (b >>> 2)
  x = w1 ^ w12 ^ w6 ^ w4
  w4 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w4 + 0x6ed9eba1) | 0
  a = (a << 30) | (a >>> 2)
  x = w2 ^ w13 ^ w7 ^ w5
  w5 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w5 + 0x6ed9eba1) | 0
  e = (e << 30) | (e >>> 2)
  x = w3 ^ w14 ^ w8 ^ w6
  w6 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w6 + 0x6ed9eba1) | 0
  d = (d << 30) | (d >>> 2)
  x = w4 ^ w15 ^ w9 ^ w7
  w7 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w7 + 0x6ed9eba1) | 0
  c = (c << 30) | (c >>> 2)

  // Rounds 40 to 59.
  x = w5 ^ w0 ^ w10 ^ w8
  w8 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w8 + -0x70e44324) | 0
  b = (b << 30) | (b >>> 2)
  x = w6 ^ w1 ^ w11 ^ w9
  w9 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w9 + -0x70e44324) | 0
  a = (a << 30) | (a >>> 2)
  x = w7 ^ w2 ^ w12 ^ w10
  w10 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w10 + -0x70e44324) | 0
  e = (e << 30) | (e >>> 2)
  x = w8 ^ w3 ^ w13 ^ w11
  w11 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w11 + -0x70e44324) | 0
  d = (d << 30) | (d >>> 2)
  x = w9 ^ w4 ^ w14 ^ w12
  w12 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w12 + -0x70e44324) | 0
  c = (c << 30) | (c >>> 2)
  x = w10 ^ w5 ^ w15 ^ w13
  w13 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w13 + -0x70e44324) | 0
  b = (b << 30) | (b >>> 2)
  x = w11 ^ w6 ^ w0 ^ w14
  w14 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w14 + -0x70e44324) | 0
  a = (a << 30) | (a >>> 2)
  x = w12 ^ w7 ^ w1 ^ w15
  w15 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w15 + -0x70e44324) | 0
  e = (e << 30) | (e >>> 2)
  x = w13 ^ w8 ^ w2 ^ w0
  w0 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w0 + -0x70e44324) | 0
  d = (d << 30) | (d >>> 2)
  x = w14 ^ w9 ^ w3 ^ w1
  w1 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w1 + -0x70e44324) | 0
  c = (c << 30) | (c >>> 2)
  x = w15 ^ w10 ^ w4 ^ w2
  w2 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w2 + -0x70e44324) | 0
  b = (b << 30) | (b >>> 2)
  x = w0 ^ w11 ^ w5 ^ w3
  w3 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w3 + -0x70e44324) | 0
  a = (a << 30) | (a >>> 2)
  x = w1 ^ w12 ^ w6 ^ w4
  w4 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w4 + -0x70e44324) | 0
  e = (e << 30) | (e >>> 2)
  x = w2 ^ w13 ^ w7 ^ w5
  w5 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w5 + -0x70e44324) | 0
  d = (d << 30) | (d >>> 2)
  x = w3 ^ w14 ^ w8 ^ w6
  w6 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w6 + -0x70e44324) | 0
  c = (c << 30) | (c >>> 2)
  x = w4 ^ w15 ^ w9 ^ w7
  w7 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w7 + -0x70e44324) | 0
  b = (b << 30) | (b >>> 2)
  x = w5 ^ w0 ^ w10 ^ w8
  w8 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + ((a & b) | (a & c) | (b & c)) + d + w8 + -0x70e44324) | 0
  a = (a << 30) | (a >>> 2)
  x = w6 ^ w1 ^ w11 ^ w9
  w9 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + ((e & a) | (e & b) | (a & b)) + c + w9 + -0x70e44324) | 0
  e = (e << 30) | (e >>> 2)
  x = w7 ^ w2 ^ w12 ^ w10
  w10 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + ((d & e) | (d & a) | (e & a)) + b + w10 + -0x70e44324) | 0
  d = (d << 30) | (d >>> 2)
  x = w8 ^ w3 ^ w13 ^ w11
  w11 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + ((c & d) | (c & e) | (d & e)) + a + w11 + -0x70e44324) | 0
  c = (c << 30) | (c >>> 2)

  // Rounds 60 to 79.
  x = w9 ^ w4 ^ w14 ^ w12
  w12 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w12 + -0x359d3e2a) | 0
  b = (b << 30) | (b >>> 2)
  x = w10 ^ w5 ^ w15 ^ w13
  w13 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w13 + -0x359d3e2a) | 0
  a = (a << 30) | (a >>> 2)
  x = w11 ^ w6 ^ w0 ^ w14
  w14 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w14 + -0x359d3e2a) | 0
  e = (e << 30) | (e >>> 2)
  x = w12 ^ w7 ^ w1 ^ w15
  w15 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w15 + -0x359d3e2a) | 0
  d = (d << 30) | (d >>> 2)
  x = w13 ^ w8 ^ w2 ^ w0
  w0 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w0 + -0x359d3e2a) | 0
  c = (c << 30) | (c >>> 2)
  x = w14 ^ w9 ^ w3 ^ w1
  w1 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w1 + -0x359d3e2a) | 0
  b = (b << 30) | (b >>> 2)
  x = w15 ^ w10 ^ w4 ^ w2
  w2 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w2 + -0x359d3e2a) | 0
  a = (a << 30) | (a >>> 2)
  x = w0 ^ w11 ^ w5 ^ w3
  w3 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w3 + -0x359d3e2a) | 0
  e = (e << 30) | (e >>> 2)
  x = w1 ^ w12 ^ w6 ^ w4
  w4 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w4 + -0x359d3e2a) | 0
  d = (d << 30) | (d >>> 2)
  x = w2 ^ w13 ^ w7 ^ w5
  w5 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w5 + -0x359d3e2a) | 0
  c = (c << 30) | (c >>> 2)
  x = w3 ^ w14 ^ w8 ^ w6
  w6 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w6 + -0x359d3e2a) | 0
  b = (b << 30) | (b >>> 2)
  x = w4 ^ w15 ^ w9 ^ w7
  w7 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w7 + -0x359d3e2a) | 0
  a = (a << 30) | (a >>> 2)
  x = w5 ^ w0 ^ w10 ^ w8
  w8 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w8 + -0x359d3e2a) | 0
  e = (e << 30) | (e >>> 2)
  x = w6 ^ w1 ^ w11 ^ w9
  w9 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w9 + -0x359d3e2a) | 0
  d = (d << 30) | (d >>> 2)
  x = w7 ^ w2 ^ w12 ^ w10
  w10 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w10 + -0x359d3e2a) | 0
  c = (c << 30) | (c >>> 2)
  x = w8 ^ w3 ^ w13 ^ w11
  w11 = (x << 1) | (x >>> 31)
  e = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w11 + -0x359d3e2a) | 0
  b = (b << 30) | (b >>> 2)
  x = w9 ^ w4 ^ w14 ^ w12
  w12 = (x << 1) | (x >>> 31)
  d = (((e << 5) | (e >>> 27)) + (a ^ b ^ c) + d + w12 + -0x359d3e2a) | 0
  a = (a << 30) | (a >>> 2)
  x = w10 ^ w5 ^ w15 ^ w13
  w13 = (x << 1) | (x >>> 31)
  c = (((d << 5) | (d >>> 27)) + (e ^ a ^ b) + c + w13 + -0x359d3e2a) | 0
  e = (e << 30) | (e >>> 2)
  x = w11 ^ w6 ^ w0 ^ w14
  w14 = (x << 1) | (x >>> 31)
  b = (((c << 5) | (c >>> 27)) + (d ^ e ^ a) + b + w14 + -0x359d3e2a) | 0
  d = (d << 30) | (d >>> 2)
  x = w12 ^ w7 ^ w1 ^ w15
  w15 = (x << 1) | (x >>> 31)
  a = (((b << 5) | (b >>> 27)) + (c ^ d ^ e) + a + w15 + -0x359d3e2a) | 0
  c = (c << 30) | (c >>> 2)
  state[0] = (state[0] + a) | 0
  state[1] = (state[1] + b) | 0
  state[2] = (state[2] + c) | 0
  state[3] = (state[3] + d) | 0
  state[4] = (state[4] + e) | 0
}

/** Starts a hash from `from`, a state that has absorbed `bytes` bytes (a multiple of 64). */
const begin = (from: State, bytes: number): void => {
  state.set(from)
  blockBytes = 0
  absorbedBytes = bytes
}

// The bytes of a message word that is not complete yet, in its low bits. `blockBytes & 3` of them.
let pendingWord = 0

/**
 * Absorbs one byte and returns the new byte count of the block. Callers keep `blockBytes` in a local
 * and pass it in, which keeps it in a register in the byte loops.
 */
const put = (filled: number, byte: number): number => {
  pendingWord = (pendingWord << 8) | byte
  filled += 1
  if ((filled & 3) === 0) {
    block[(filled >> 2) - 1] = pendingWord
    if (filled === 64) {
      compress()
      absorbedBytes += 64
      return 0
    }
  }
  return filled
}

/** Absorbs the UTF-8 form of `text`. */
const update = (text: string): void => {
  let filled = blockBytes
  const length = text.length
  let i = 0
  while (i < length) {
    if ((filled & 3) === 0) {
      // Fast path: four ASCII characters make one message word.
      while (i + 4 <= length) {
        const c0 = text.charCodeAt(i)
        const c1 = text.charCodeAt(i + 1)
        const c2 = text.charCodeAt(i + 2)
        const c3 = text.charCodeAt(i + 3)
        if ((c0 | c1 | c2 | c3) >= 0x80) {
          break
        }
        block[filled >> 2] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3
        i += 4
        filled += 4
        if (filled === 64) {
          compress()
          absorbedBytes += 64
          filled = 0
        }
      }
      if (i === length) {
        break
      }
    }

    const code = text.charCodeAt(i)
    i += 1
    if (code < 0x80) {
      filled = put(filled, code)
    } else if (code < 0x800) {
      filled = put(filled, 0xc0 | (code >> 6))
      filled = put(filled, 0x80 | (code & 0x3f))
    } else if (code < 0xd800 || code > 0xdfff) {
      filled = put(filled, 0xe0 | (code >> 12))
      filled = put(filled, 0x80 | ((code >> 6) & 0x3f))
      filled = put(filled, 0x80 | (code & 0x3f))
    } else {
      const low = i < length ? text.charCodeAt(i) : 0
      if (code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const point = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
        filled = put(filled, 0xf0 | (point >> 18))
        filled = put(filled, 0x80 | ((point >> 12) & 0x3f))
        filled = put(filled, 0x80 | ((point >> 6) & 0x3f))
        filled = put(filled, 0x80 | (point & 0x3f))
        i += 1
      } else {
        // A lone surrogate has no UTF-8 form, and Node encodes it as U+FFFD.
        filled = put(filled, 0xef)
        filled = put(filled, 0xbf)
        filled = put(filled, 0xbd)
      }
    }
  }
  blockBytes = filled
}

/** Absorbs `bytes`, each a number from 0 to 255. */
const updateBytes = (bytes: ArrayLike<number>): void => {
  let filled = blockBytes
  for (let i = 0; i < bytes.length; i++) {
    filled = put(filled, bytes[i])
  }
  blockBytes = filled
}

const hexDigit = (nibble: number): number => nibble + (nibble < 10 ? 48 : 87)

/** Absorbs the 40 lower-case hex digits of `digest` as ASCII. */
const updateHex = (digest: State): void => {
  let filled = blockBytes
  for (let i = 0; i < 5; i++) {
    const word = digest[i]
    for (let shift = 28; shift >= 0; shift -= 4) {
      filled = put(filled, hexDigit((word >>> shift) & 0xf))
    }
  }
  blockBytes = filled
}

/** Appends the padding and the message length, leaving the digest in `state`. */
const finish = (): void => {
  const bits = (absorbedBytes + blockBytes) * 8
  let filled = put(blockBytes, 0x80)
  while ((filled & 3) !== 0) {
    filled = put(filled, 0)
  }
  if (filled > 56) {
    for (let i = filled >> 2; i < 16; i++) {
      block[i] = 0
    }
    compress()
    filled = 0
  }
  for (let i = filled >> 2; i < 14; i++) {
    block[i] = 0
  }
  block[14] = Math.floor(bits / 0x100000000)
  block[15] = bits | 0
  compress()
  blockBytes = 0
}

const hexBytes: ReadonlyArray<string> = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"))

const hexWord = (word: number): string =>
  hexBytes[word >>> 24] + hexBytes[(word >>> 16) & 0xff] + hexBytes[(word >>> 8) & 0xff] + hexBytes[word & 0xff]

/** Formats a digest as 40 lower-case hex digits. */
const toHex = (digest: State): string =>
  hexWord(digest[0]) + hexWord(digest[1]) + hexWord(digest[2]) + hexWord(digest[3]) + hexWord(digest[4])

/**
 * Writes the SHA-1 of the UTF-8 form of `text` to `digest`.
 *
 * @internal
 */
export const sha1 = (text: string, digest: State): void => {
  begin(initialState, 0)
  update(text)
  finish()
  digest.set(state)
}

/**
 * Returns the lower-case hex SHA-1 of the UTF-8 form of `text`.
 *
 * @internal
 */
export const sha1Hex = (text: string): string => {
  begin(initialState, 0)
  update(text)
  finish()
  return toHex(state)
}

/**
 * An HMAC-SHA1 key, kept as the hash states after the inner (`key ^ 0x36`) and outer
 * (`key ^ 0x5c`) pad blocks. Every HMAC with the key then skips those two compressions.
 *
 * @internal
 */
export interface HmacKey {
  readonly inner: State
  readonly outer: State
}

const padState = (key: Uint8Array, pad: number): State => {
  begin(initialState, 0)
  const padded = new Uint8Array(64)
  for (let i = 0; i < 64; i++) {
    padded[i] = (i < key.length ? key[i] : 0) ^ pad
  }
  updateBytes(padded)
  return Int32Array.from(state)
}

const stateBytes = (): Uint8Array => {
  const bytes = new Uint8Array(20)
  for (let i = 0; i < 5; i++) {
    bytes[i * 4] = state[i] >>> 24
    bytes[i * 4 + 1] = state[i] >>> 16
    bytes[i * 4 + 2] = state[i] >>> 8
    bytes[i * 4 + 3] = state[i]
  }
  return bytes
}

/**
 * Prepares an HMAC-SHA1 key from the UTF-8 form of `key`. A key longer than the 64-byte block is
 * hashed first, as RFC 2104 requires.
 *
 * @internal
 */
export const hmacKey = (key: string): HmacKey => {
  let bytes: Uint8Array = new TextEncoder().encode(key)
  if (bytes.length > 64) {
    begin(initialState, 0)
    updateBytes(bytes)
    finish()
    bytes = stateBytes()
  }
  return { inner: padState(bytes, 0x36), outer: padState(bytes, 0x5c) }
}

/**
 * Returns the lower-case hex HMAC-SHA1 of the UTF-8 form of `head`, then the hex digits of `digest`,
 * then `tail`: the shape of a StringToSign, hashed without building it.
 *
 * @internal
 */
export const hmacHex = (key: HmacKey, head: string, digest: State, tail: string): string => {
  begin(key.inner, 64)
  update(head)
  updateHex(digest)
  update(tail)
  finish()

  // The outer hash absorbs the 20-byte inner digest, which fits one block with its padding.
  block.set(state)
  block[5] = 0x80000000 | 0
  for (let i = 6; i < 15; i++) {
    block[i] = 0
  }
  block[15] = (64 + 20) * 8
  state.set(key.outer)
  compress()
  return toHex(state)
}
