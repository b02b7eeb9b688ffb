/**
 * @since 0.1.0
 */

/**
 * `cos-ci`, a command line for Tencent Cloud CI batch jobs.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"
