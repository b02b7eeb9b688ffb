/**
 * Fixed inputs every benchmark shares. The credentials are examples: the minimal server checks no
 * signature, and nothing is sent beyond 127.0.0.1.
 */
export const bucket = "examplebucket-1250000000"
export const region = "ap-guangzhou"
export const secretId = "AKIDEXAMPLE"
export const secretKey = "SECRETKEYEXAMPLE"
export const jobId = "b0123456789abcdef0123456789abcdef0"

/** The path every client sends its cancel to, with `?cancel` after it. */
export const cancelPath = `/inventorytriggerjob/${jobId}`

/** A distinct job id for each position, so that nothing deduplicates or caches the requests. */
export const jobIdAt = (index: number): string => `b${index.toString(16).padStart(33, "0")}`

/** The origin of a server started on `port` of the loopback interface. */
export const loopbackOrigin = (port: number): string => `http://127.0.0.1:${port}`
