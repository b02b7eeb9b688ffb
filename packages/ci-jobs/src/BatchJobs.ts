/**
 * Operations on CI batch data processing jobs (`/inventorytriggerjob`). Each one needs a
 * `CiClient` from `@effect-cos/http`, validates its arguments before sending anything, and runs in
 * its own span named after it.
 *
 * @since 0.1.0
 */
import * as CiClient from "@effect-cos/http/CiClient"
import type * as CiError from "@effect-cos/http/CiError"
import type * as Effect from "effect/Effect"
import type * as BatchJob from "./BatchJob.js"
import * as internal from "./internal/batchJobs.js"

/**
 * What {@link cancel} can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type CancelError = CiError.CiInvalidInput | CiError.CiRequestError | CiError.CiDecodeError

/**
 * What {@link describe} can fail with.
 *
 * @since 0.1.0
 * @category models
 */
export type DescribeError =
  | CiError.CiInvalidInput
  | CiError.CiRequestError
  | CiError.CiDecodeError
  | BatchJob.BatchJobNotFound

/**
 * Cancels a batch job: `PUT /inventorytriggerjob/<jobId>?cancel`, with `cancel` signed.
 *
 * The job id must be 1 to 128 letters, digits or `-`; any other id fails with `CiInvalidInput`
 * and nothing is sent. CI answers a successful cancel with an empty body, so the result is the
 * request id alone. Errors CI reports, such as a job that already finished, come back as
 * `CiServiceError` with CI's code.
 *
 * @example
 * ```ts
 * import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
 * import * as Effect from "effect/Effect"
 *
 * const program = BatchJobs.cancel("b0123456789abcdef0123456789abcdef0").pipe(
 *   Effect.tap(({ requestId }) => Effect.log(`cancelled, request id ${requestId}`)),
 *   Effect.catchTag("CiServiceError", (error) => Effect.logError(`${error.code}: ${error.message}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category operations
 */
export const cancel: (jobId: string) => Effect.Effect<BatchJob.CancelResult, CancelError, CiClient.CiClient> =
  internal.cancel

/**
 * Reads one batch job: `GET /inventorytriggerjob/<jobId>`. Fails with `BatchJobNotFound` when CI
 * reports the id under `NonExistJobIds`.
 *
 * @since 0.1.0
 * @category operations
 */
export const describe: (jobId: string) => Effect.Effect<BatchJob.BatchJob, DescribeError, CiClient.CiClient> =
  internal.describe
