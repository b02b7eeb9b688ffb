import * as Undici from "undici"
import { type Client, pooled, presigner } from "./client.js"

/** Makes a reference client without our code: `undici.request`, with an Authorization made once per job id. */
export const make = (origin: string): Client => {
  const authorizationFor = presigner(origin)
  const cancel = async (jobId: string) => {
    const response = await Undici.request(`${origin}/inventorytriggerjob/${jobId}?cancel`, {
      method: "PUT",
      headers: { authorization: authorizationFor(jobId), "content-length": "0" }
    })
    await response.body.dump()
    if (response.statusCode !== 200) {
      throw new Error(`status ${response.statusCode}`)
    }
  }
  return pooled(cancel, async () => {})
}
