/**
 * @since 0.1.0
 */

/**
 * The transport for Tencent Cloud CI: endpoint, signing, timeouts, retries and typed errors on top
 * of any `@effect/platform` `HttpClient`.
 *
 * @since 0.1.0
 */
export * as CiClient from "./CiClient.js"

/**
 * The errors a CI call can fail with.
 *
 * @since 0.1.0
 */
export * as CiError from "./CiError.js"

/**
 * When and how often a failed CI request is sent again.
 *
 * @since 0.1.0
 */
export * as CiRetry from "./CiRetry.js"

/**
 * A small, strict XML reader for CI response and error documents.
 *
 * @since 0.1.0
 */
export * as CiXml from "./CiXml.js"

/**
 * A stub `HttpClient` for tests.
 *
 * @since 0.1.0
 */
export * as TestHttpClient from "./TestHttpClient.js"

/**
 * Where a client gets the key it signs with.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"
