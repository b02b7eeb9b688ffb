import COS from "cos-nodejs-sdk-v5"
import { secretId, secretKey } from "../config.js"
import { type Client, pooled } from "./client.js"

// cos-nodejs-sdk-v5 3.0.0 sends a request to any URL through `cos.request`. `Action: "cancel"` adds
// `?cancel` to the URL and `cancel` to the signed parameters, and the host is signed from the URL.
export const make = (origin: string): Client => {
  const cos = new COS({ SecretId: secretId, SecretKey: secretKey })
  const cancel = (jobId: string) =>
    new Promise<void>((resolve, reject) => {
      cos.request(
        { Method: "PUT", Url: `${origin}/inventorytriggerjob/${jobId}`, Action: "cancel" },
        (error) => (error ? reject(new Error(`cancel ${jobId} failed: ${JSON.stringify(error)}`)) : resolve())
      )
    })
  return pooled(cancel, async () => {})
}
