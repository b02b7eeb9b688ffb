import * as Crypto from "node:crypto"
import * as Sha1 from "../../packages/signer/src/internal/sha1.js"

const http = "put\n/inventorytriggerjob/b0123456789abcdef0123456789abcdef0\ncancel=\ncontent-length=0&host=examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com\n"
const signKey = "472ce45f70b562f91089efd947ae913134e4b890"
const keyTime = "1700000000;1700000900"
const key = Sha1.hmacKey(signKey)
const nodeInner = Crypto.createHash("sha1").update(Buffer.from(signKey.padEnd(64, "\0")).map((b) => b ^ 0x36))
const nodeOuter = Crypto.createHash("sha1").update(Buffer.from(signKey.padEnd(64, "\0")).map((b) => b ^ 0x5c))

const nodeFloor = () => {
  const h = Crypto.createHash("sha1").update(http, "utf8").digest("hex")
  return Crypto.createHmac("sha1", signKey).update(`sha1\n${keyTime}\n${h}\n`, "utf8").digest("hex")
}
const nodeCopy = () => {
  const h = Crypto.createHash("sha1").update(http, "utf8").digest("hex")
  const inner = nodeInner.copy().update(`sha1\n${keyTime}\n${h}\n`, "utf8").digest()
  return nodeOuter.copy().update(inner).digest("hex")
}
const js = () => {
  const h = Sha1.sha1Hex(http)
  return Sha1.hmacHex(key, "sha1\n", keyTime, "\n", h, "\n")
}
if (nodeFloor() !== js() || nodeCopy() !== js()) throw new Error("mismatch " + nodeFloor() + " " + js() + " " + nodeCopy())

const measure = (run: () => unknown, ms: number) => {
  let n = 0
  const start = performance.now()
  let el = 0
  while (el < ms) { for (let i = 0; i < 100; i++) run(); n += 100; el = performance.now() - start }
  return n / el * 1000
}
const impls: Record<string, () => unknown> = { nodeFloor, nodeCopy, js }
const results: Record<string, number[]> = {}
for (const k in impls) { measure(impls[k], 300); results[k] = [] }
for (let r = 0; r < 7; r++) for (const k in impls) results[k].push(measure(impls[k], 200))
for (const k in impls) { const s = results[k].sort((a, b) => a - b); console.log(k, Math.round(s[3]), Math.round(s[0]), Math.round(s[6])) }
