import * as CiXml from "@effect-cos/http/CiXml"
import * as Either from "effect/Either"
import type * as BatchJob from "../BatchJob.js"

const timePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|([+-])(\d{2}):?(\d{2}))$/

/**
 * Parses CI's `%Y-%m-%dT%H:%M:%S%z` time (`2022-02-25T12:00:00+0800`); `+08:00` and `Z` are accepted
 * too. `-` and `""` mean "not set yet" and give `undefined`.
 *
 * @internal
 */
export const parseTime = (text: string | undefined): Either.Either<Date | undefined, string> => {
  if (text === undefined || text === "" || text === "-") {
    return Either.right(undefined)
  }
  const match = timePattern.exec(text)
  if (match === null) {
    return Either.left(`"${text}" is not a time of the form 2022-02-25T12:00:00+0800`)
  }

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number)
  const offsetMinutes = match[7] === "Z" ? 0 : (match[8] === "-" ? -1 : 1) * (Number(match[9]) * 60 + Number(match[10]))
  const local = Date.UTC(year, month - 1, day, hour, minute, second)

  // Date.UTC rolls 2022-02-30 over into March; a date that does not survive the round trip is invalid.
  const check = new Date(local)
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return Either.left(`"${text}" is not a valid date and time`)
  }
  return Either.right(new Date(local - offsetMinutes * 60_000))
}

/**
 * Formats a time the way CI expects it in queries, in Beijing time: `2022-02-25T12:00:00+0800`.
 *
 * @internal
 */
export const formatTime = (date: Date): string => {
  const beijing = new Date(date.getTime() + 8 * 3_600_000)
  const pad = (value: number) => String(value).padStart(2, "0")
  return `${beijing.getUTCFullYear()}-${pad(beijing.getUTCMonth() + 1)}-${pad(beijing.getUTCDate())}` +
    `T${pad(beijing.getUTCHours())}:${pad(beijing.getUTCMinutes())}:${pad(beijing.getUTCSeconds())}+0800`
}

const progressPattern = /^(\d{1,3}(?:\.\d+)?)%?$/

/** @internal */
export const parseProgress = (text: string | undefined): Either.Either<number | undefined, string> => {
  if (text === undefined || text === "" || text === "-") {
    return Either.right(undefined)
  }
  const match = progressPattern.exec(text.trim())
  if (match === null) {
    return Either.left(`Progress "${text}" is not a number`)
  }
  return Either.right(Number(match[1]))
}

/**
 * Reads one `<JobsDetail>` element. Only `<JobId>` and `<State>` are required; everything else CI
 * may leave out.
 *
 * @internal
 */
export const decodeJob = (detail: CiXml.XmlElement): Either.Either<BatchJob.BatchJob, string> => {
  const jobId = CiXml.text(detail, "JobId")
  if (jobId === undefined || jobId === "") {
    return Either.left("JobsDetail has no JobId")
  }
  const state = CiXml.text(detail, "State")
  if (state === undefined || state === "") {
    return Either.left(`JobsDetail of ${jobId} has no State`)
  }
  const input = CiXml.elements(detail, "Input")[0] ?? {}
  const operation = CiXml.elements(detail, "Operation")[0] ?? {}

  return Either.all({
    creationTime: parseTime(CiXml.text(detail, "CreationTime")),
    startTime: parseTime(CiXml.text(detail, "StartTime")),
    endTime: parseTime(CiXml.text(detail, "EndTime")),
    progress: parseProgress(CiXml.text(detail, "Progress"))
  }).pipe(
    Either.mapLeft((reason) => `JobsDetail of ${jobId}: ${reason}`),
    Either.map((parsed) => ({
      jobId,
      name: CiXml.text(detail, "Name"),
      type: CiXml.text(detail, "Type"),
      state,
      code: CiXml.text(detail, "Code"),
      message: CiXml.text(detail, "Message"),
      ...parsed,
      queueId: CiXml.text(detail, "QueueId"),
      tag: CiXml.text(detail, "Tag"),
      input: {
        manifest: CiXml.text(input, "Manifest"),
        urlFile: CiXml.text(input, "UrlFile"),
        prefix: CiXml.text(input, "Prefix"),
        object: CiXml.text(input, "Object")
      },
      userData: CiXml.text(detail, "UserData") ?? CiXml.text(operation, "UserData")
    }))
  )
}

/** @internal */
export const parseResponse = (body: string): Either.Either<CiXml.XmlElement, string> =>
  CiXml.parse(body).pipe(
    Either.flatMap((document) => {
      const response = CiXml.root(document, "Response")
      return response === undefined ?
        Either.left(`expected a <Response> document, got <${Object.keys(document).join(", ")}>`) :
        Either.right(response)
    })
  )
