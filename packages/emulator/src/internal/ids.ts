import * as Crypto from "node:crypto"

let requestSequence = 0

/**
 * Returns a fresh request id shaped like CI's (`NTk0MjdmODlf...`): base64 of the time in hex,
 * random hex and a process-wide counter, so two ids never repeat within one process.
 *
 * @internal
 */
export const newRequestId = (nowMillis: number): string => {
  requestSequence += 1
  const seconds = Math.floor(nowMillis / 1000).toString(16)
  const text = `${seconds}_${Crypto.randomBytes(4).toString("hex")}_${requestSequence.toString(16)}`
  return Buffer.from(text, "utf8").toString("base64")
}

/** @internal */
export const newTraceId = (): string => Crypto.randomBytes(36).toString("base64")

/**
 * Returns a job id in the shape of the documented samples: `b` and 32 lower-case hex digits.
 *
 * @internal
 */
export const newJobId = (): string => `b${Crypto.randomBytes(16).toString("hex")}`
