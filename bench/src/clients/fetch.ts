import { type Client, pooled, presigner } from "./client.js"

/** Makes a reference client without our code: the global fetch, with an Authorization made once per job id. */
export const make = (origin: string): Client => {
  const authorizationFor = presigner(origin)
  const cancel = async (jobId: string) => {
    // fetch itself sends `content-length: 0` for a PUT without a body.
    const response = await fetch(`${origin}/inventorytriggerjob/${jobId}?cancel`, {
      method: "PUT",
      headers: { authorization: authorizationFor(jobId) }
    })
    await response.arrayBuffer()
    if (response.status !== 200) {
      throw new Error(`status ${response.status}`)
    }
  }
  return pooled(cancel, async () => {})
}
