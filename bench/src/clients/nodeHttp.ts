import * as Http from "node:http"
import { type Client, pooled, presigner } from "./client.js"

/** Makes the floor client: node:http with a keep-alive agent and an Authorization made once per job id. */
export const make = (origin: string): Client => {
  const url = new URL(origin)
  const agent = new Http.Agent({ keepAlive: true })
  const authorizationFor = presigner(origin)
  const cancel = (jobId: string) =>
    new Promise<void>((resolve, reject) => {
      const request = Http.request({
        agent,
        host: url.hostname,
        port: url.port,
        method: "PUT",
        path: `/inventorytriggerjob/${jobId}?cancel`,
        headers: { authorization: authorizationFor(jobId), "content-length": "0" }
      }, (response) => {
        response.resume()
        response.on("end", () =>
          response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`)))
      })
      request.on("error", reject)
      request.end()
    })
  return pooled(cancel, async () => agent.destroy())
}
