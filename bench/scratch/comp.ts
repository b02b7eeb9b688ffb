import * as Sha1 from "../../packages/signer/src/internal/sha1.js"
const s64 = "a".repeat(55)
const s1k = "a".repeat(64 * 64 - 9)
const measure = (run: () => unknown, ms: number) => {
  let n = 0
  const start = performance.now()
  let el = 0
  while (el < ms) { for (let i = 0; i < 100; i++) run(); n += 100; el = performance.now() - start }
  return n / el * 1000
}
for (let r = 0; r < 3; r++) {
  console.log("1 block", Math.round(measure(() => Sha1.sha1Hex(s64), 300)), "64 blocks", Math.round(measure(() => Sha1.sha1Hex(s1k), 300) * 64))
}
