/**
 * The cold-start floor: one PUT with node:http and an Authorization made beforehand, and no library.
 *
 * Usage: node cancelNodeHttp.cjs <endpoint> <authorization>
 */
import * as Http from "node:http"

const [endpoint, authorization] = process.argv.slice(2)

const request = Http.request(`${endpoint}/inventorytriggerjob/b0123456789abcdef0123456789abcdef0?cancel`, {
  method: "PUT",
  headers: { authorization, "content-length": "0" }
}, (response) => {
  response.resume()
  response.on("end", () => console.log(`cancelled, request id ${response.headers["x-ci-request-id"]}`))
})
request.end()
