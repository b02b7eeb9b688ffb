/**
 * @since 0.1.0
 */

/**
 * The COS XML request signature (`q-sign-algorithm=sha1`) used by Tencent Cloud COS and CI.
 *
 * @since 0.1.0
 */
export * as Signer from "./Signer.js"
