/**
 * @since 0.1.0
 */

/**
 * The batch data processing job as read back from CI.
 *
 * @since 0.1.0
 */
export * as BatchJob from "./BatchJob.js"

/**
 * Operations on CI batch data processing jobs (`/inventorytriggerjob`).
 *
 * @since 0.1.0
 */
export * as BatchJobs from "./BatchJobs.js"
