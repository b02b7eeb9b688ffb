/**
 * The minimal CI stand-in for the round-trip and memory benchmarks. It responds to every request
 * with 200, an empty body and an `x-ci-request-id`, and checks no signature. It listens on a free
 * port of 127.0.0.1, prints the port, and exits when its parent closes standard input.
 */
import * as Http from "node:http"

let requests = 0

const server = Http.createServer((request, response) => {
  requests += 1
  // Read the (empty) request body, so that the connection can be reused.
  request.resume()
  response.writeHead(200, { "content-length": "0", "x-ci-request-id": `bench-${requests}` })
  response.end()
})

// Longer than any pause between rounds, so that keep-alive connections stay open across them.
server.keepAliveTimeout = 60_000

server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  if (address === null || typeof address === "string") {
    throw new Error("the server has no TCP address")
  }
  process.stdout.write(`${address.port}\n`)
})

process.stdin.resume()
process.stdin.on("end", () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
