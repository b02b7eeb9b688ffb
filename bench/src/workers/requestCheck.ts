import * as Signer from "@effect-cos/signer/Signer"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import type { ClientKind } from "../clientKinds.js"
import type { MakeClient } from "../clients/client.js"
import { cancelPath, jobId, loopbackOrigin, secretId, secretKey } from "../config.js"

interface Captured {
  readonly method: string | undefined
  readonly url: string | undefined
  readonly headers: Http.IncomingHttpHeaders
}

/** Checks one captured request: the cancel URL, and a signature that covers the host and `cancel`. */
const problemsOf = (request: Captured): Array<string> => {
  const problems: Array<string> = []
  if (request.method !== "PUT") {
    problems.push(`method ${request.method}`)
  }
  // cos-nodejs-sdk-v5 3.0.0 sends `?cancel=`, which is the same empty parameter as `?cancel`.
  const url = new URL(request.url ?? "", "http://127.0.0.1")
  if (url.pathname !== cancelPath || url.search.replace(/=$/, "") !== "?cancel") {
    problems.push(`URL ${request.url}`)
  }
  const header = request.headers.authorization
  const parsed = header === undefined ? Either.left("no Authorization header") : Signer.parseAuthorization(header)
  if (Either.isLeft(parsed)) {
    problems.push(parsed.left)
    return problems
  }
  const { headerList, keyTime, signature, urlParamList } = parsed.right
  if (!headerList.includes("host") || urlParamList.join(";") !== "cancel") {
    problems.push(`signs headers ${headerList.join(";")} and parameters ${urlParamList.join(";")}`)
  }
  const signedHeaders: Record<string, string> = {}
  for (const name of headerList) {
    signedHeaders[name] = String(request.headers[name] ?? "")
  }
  const expected = Signer.computeSignature({
    method: "PUT",
    pathname: cancelPath,
    query: { cancel: "" },
    headers: signedHeaders,
    secretId,
    secretKey: Redacted.make(secretKey),
    keyTime,
    shouldSignHeader: () => true
  })
  if (expected.signature !== signature || parsed.right.secretId !== secretId) {
    problems.push("the signature does not verify")
  }
  return problems
}

/**
 * Sends one cancel through the client to a server that records it, and fails unless it is
 * `PUT /inventorytriggerjob/<id>?cancel` (or `?cancel=`) with a valid signature over the host and `cancel`, so that
 * the benchmark compares clients doing the same work.
 */
export const checkRequests = async (kind: ClientKind, make: MakeClient): Promise<void> => {
  let captured: Captured | undefined
  const server = Http.createServer((request, response) => {
    captured = { method: request.method, url: request.url, headers: request.headers }
    request.resume()
    response.writeHead(200, { "content-length": "0", "x-ci-request-id": "check" })
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  if (address === null || typeof address === "string") {
    throw new Error("the check server has no TCP address")
  }

  try {
    const client = make(loopbackOrigin(address.port))
    let sent = false
    await client.run({
      concurrency: 1,
      nextJobId: () => {
        const next = sent ? undefined : jobId
        sent = true
        return next
      },
      record: () => {}
    })
    await client.close()
    const problems = captured === undefined ? ["no request arrived"] : problemsOf(captured)
    if (problems.length > 0) {
      throw new Error(`${kind.label} does not send the expected cancel: ${problems.join(", ")}`)
    }
  } finally {
    server.closeAllConnections()
    server.close()
  }
}
