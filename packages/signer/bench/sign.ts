/**
 * Compares the cost of computing one Authorization header with `Signer.sign` and with
 * `COS.getAuthorization` of cos-nodejs-sdk-v5@3.0.0, on the same requests, and prints the ratio.
 *
 * Run with `pnpm bench` from the repository root. Each measurement runs every request in a loop for
 * a fixed time after a warm-up, in alternating rounds, and the median round is reported.
 */
import * as Signer from "@effect-cos/signer/Signer"
import COS from "cos-nodejs-sdk-v5"
import * as Redacted from "effect/Redacted"

const secretId = "AKIDEXAMPLE"
const secretKey = "SECRETKEYEXAMPLE"
const host = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"
const keyTime = { start: 1700000000, end: 1700000900 }

interface Case {
  readonly name: string
  readonly method: "GET" | "PUT" | "POST"
  readonly pathname: string
  readonly query: Record<string, string>
  readonly headers: Record<string, string>
}

const cases: ReadonlyArray<Case> = [
  {
    name: "cancel",
    method: "PUT",
    pathname: "/inventorytriggerjob/b0123456789abcdef0123456789abcdef0",
    query: { cancel: "" },
    headers: { host, "content-length": "0", "user-agent": "bench" }
  },
  {
    name: "list with 8 parameters",
    method: "GET",
    pathname: "/inventorytriggerjob",
    query: {
      size: "100",
      states: "Running,Failed",
      orderByTime: "Asc",
      type: "Job",
      nextToken: "25",
      startCreationTime: "2022-02-25T12:00:00+0800",
      endCreationTime: "2022-02-28T12:00:00+0800",
      workflowId: "w1234567890abcdef"
    },
    headers: { host }
  },
  {
    name: "create with unicode and a token",
    method: "POST",
    pathname: "/inventorytriggerjob",
    query: {},
    headers: {
      host,
      "content-type": "application/xml",
      "content-length": "401",
      "content-md5": "GG0OKbfHZhHSHGkRA3xgig==",
      "x-ci-security-token": "tok/en+with=special&chars",
      "x-cos-meta-名字": "值 value"
    }
  }
]

const secret = Redacted.make(secretKey)

const ours = (request: Case) =>
  Signer.sign({ ...request, secretId, secretKey: secret, keyTime })

const official = (request: Case) =>
  COS.getAuthorization({
    SecretId: secretId,
    SecretKey: secretKey,
    KeyTime: `${keyTime.start};${keyTime.end}`,
    Method: request.method,
    Pathname: request.pathname,
    Query: request.query,
    Headers: request.headers
  })

/** Returns operations per second over `millis` of wall-clock time. */
const measure = (run: () => unknown, millis: number): number => {
  let operations = 0
  const start = performance.now()
  let elapsed = 0
  while (elapsed < millis) {
    for (let i = 0; i < 100; i++) {
      run()
    }
    operations += 100
    elapsed = performance.now() - start
  }
  return (operations / elapsed) * 1000
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const rounds = 7
const roundMillis = 300

console.log(`node ${process.version}, ${rounds} rounds of ${roundMillis} ms per implementation and case`)
console.log("case                              effect-cos ops/s   cos-nodejs-sdk-v5 ops/s   ratio")

for (const request of cases) {
  // Both must produce the same header, or the comparison means nothing.
  if (ours(request) !== official(request)) {
    throw new Error(`the two signers disagree on "${request.name}"`)
  }

  measure(() => ours(request), 200)
  measure(() => official(request), 200)

  const oursRounds: Array<number> = []
  const officialRounds: Array<number> = []
  for (let round = 0; round < rounds; round++) {
    oursRounds.push(measure(() => ours(request), roundMillis))
    officialRounds.push(measure(() => official(request), roundMillis))
  }

  const oursOps = median(oursRounds)
  const officialOps = median(officialRounds)
  console.log(
    `${request.name.padEnd(34)}${oursOps.toFixed(0).padStart(16)}${officialOps.toFixed(0).padStart(26)}` +
      `${(oursOps / officialOps).toFixed(2).padStart(8)}x`
  )
}
