import * as Sha1 from "../../packages/signer/src/internal/sha1.js"
const s1k = "a".repeat(64 * 64 - 9)
let x = 0
const start = performance.now()
for (let i = 0; i < 30000; i++) x += Sha1.sha1Hex(s1k).length
console.log((performance.now() - start) / 30000 / 64 * 1000, "ns per block")
