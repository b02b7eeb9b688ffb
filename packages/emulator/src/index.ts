/**
 * @since 0.1.0
 */

/**
 * A local HTTP server that emulates the Tencent Cloud CI batch-job API (`/inventorytriggerjob`) and
 * verifies the COS signature of every request, for integration tests and demos without a cloud account.
 *
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"
