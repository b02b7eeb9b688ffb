import * as BatchJob from "@effect-cos/ci-jobs/BatchJob"
import * as BatchJobs from "@effect-cos/ci-jobs/BatchJobs"
import * as CiClient from "@effect-cos/http/CiClient"
import * as TestHttpClient from "@effect-cos/http/TestHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Option from "effect/Option"
import { clientOptions as fixtureOptions, jobId, stubLayer, xmlOk } from "../fixtures.js"

// Any string as a job id, bucket, region, endpoint or list filter either gives a request to the
// configured host, on the operation's own path and with only its own query parameters, or fails
// with CiInvalidInput before anything is sent. Never a defect, never another host or path.

const numRuns = 300

/** Characters that change a URL's meaning, or that HTTP and the signature cannot carry. */
const hostileCharacters = [
  "/",
  ".",
  "..",
  "?",
  "#",
  "@",
  ":",
  "%",
  "%2F",
  "%2e%2e",
  "\\",
  " ",
  "\t",
  "\n",
  "\r",
  "\u0000",
  "+",
  "&",
  "=",
  ";",
  "[",
  "]",
  "\ud800",
  "\udfff",
  "é",
  "Ａ",
  "ǅ",
  "\u202e",
  "A",
  "a",
  "0",
  "-",
  "_",
  "~"
]

const anyCodeUnit = FastCheck.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))

/** Any string, weighted towards the characters that could move a request. */
const anyText = FastCheck.oneof(
  FastCheck.string(),
  FastCheck.string({ unit: "binary" }),
  FastCheck.string({ unit: anyCodeUnit }),
  FastCheck.array(FastCheck.constantFrom(...hostileCharacters), { maxLength: 12 }).map((parts) => parts.join(""))
)

/** Mostly valid job ids, and some that differ from a valid one by a single character. */
const jobIdLike = FastCheck.oneof(
  FastCheck.stringMatching(/^[A-Za-z0-9-]{1,128}$/),
  FastCheck.tuple(FastCheck.stringMatching(/^[A-Za-z0-9-]{0,20}$/), FastCheck.constantFrom(...hostileCharacters))
    .map(([id, character]) => `${id}${character}`),
  anyText
)

const ciHost = "examplebucket-1250000000.ci.ap-guangzhou.myqcloud.com"

/** Checks that an exit failed with CiInvalidInput on one of `fields`, and with nothing else. */
const expectInvalidInput = (exit: Exit.Exit<unknown, unknown>, fields: ReadonlyArray<string>) => {
  expect(Exit.isFailure(exit)).toBe(true)
  if (Exit.isFailure(exit)) {
    expect(Cause.isInterruptedOnly(exit.cause)).toBe(false)
    expect(Cause.defects(exit.cause).length).toBe(0)
    const failure = Option.getOrUndefined(Cause.failureOption(exit.cause))
    expect(failure).toMatchObject({ _tag: "CiInvalidInput" })
    expect(fields).toContain((failure as { readonly field: string }).field)
  }
}

/** Checks that `url` is exactly `origin` + `path`, with exactly the query parameters given. */
const expectUrl = (url: string, origin: string, path: string, query: Readonly<Record<string, string>>) => {
  const parsed = new URL(url)
  expect(parsed.origin).toBe(origin)
  expect(parsed.username).toBe("")
  expect(parsed.password).toBe("")
  expect(parsed.hash).toBe("")
  expect(parsed.pathname.split("/").map(decodeURIComponent)).toStrictEqual(["", ...path.split("/").slice(1)])
  expect(Object.fromEntries(parsed.searchParams)).toStrictEqual(query)
  expect([...parsed.searchParams.keys()]).toHaveLength(Object.keys(query).length)
}

const cancelPath = (id: string) => `/inventorytriggerjob/${id}`

describe("bad input", () => {
  it.effect.prop(
    "cancel sends any job id to its own path or rejects it",
    [jobIdLike],
    ([id]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(BatchJobs.cancel(id))
        const sent = yield* TestHttpClient.requests

        if (BatchJob.jobIdPattern.test(id)) {
          expect(Exit.isSuccess(exit)).toBe(true)
          expect(sent).toHaveLength(1)
          expect(sent[0].method).toBe("PUT")
          expectUrl(sent[0].url, `https://${ciHost}`, cancelPath(id), { cancel: "" })
        } else {
          expectInvalidInput(exit, ["jobId"])
          expect(sent).toHaveLength(0)
        }
      }).pipe(Effect.provide(stubLayer(() => TestHttpClient.respond(200)))),
    { fastCheck: { numRuns } }
  )

  it.effect.prop(
    "describe sends any job id to its own path or rejects it",
    [jobIdLike],
    ([id]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(BatchJobs.describe(id))
        const sent = yield* TestHttpClient.requests

        if (BatchJob.jobIdPattern.test(id)) {
          const failure = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
          expect(failure).toBeInstanceOf(BatchJob.BatchJobNotFound)
          expect(failure instanceof BatchJob.BatchJobNotFound && failure.jobId).toBe(id)
          expect(failure instanceof BatchJob.BatchJobNotFound && failure.requestId).toBe("REQ-1")
          expect(sent).toHaveLength(1)
          expect(sent[0].method).toBe("GET")
          expectUrl(sent[0].url, `https://${ciHost}`, cancelPath(id), {})
        } else {
          expectInvalidInput(exit, ["jobId"])
          expect(sent).toHaveLength(0)
        }
      }).pipe(
        // CI lists the id it was asked for, the last path segment, as not found.
        Effect.provide(stubLayer((request) =>
          xmlOk(
            `<Response><RequestId>REQ-1</RequestId><NonExistJobIds>${
              new URL(request.url).pathname.split("/").pop()
            }</NonExistJobIds></Response>`,
            "REQ-1"
          )
        ))
      ),
    { fastCheck: { numRuns } }
  )

  const labelCharacters = FastCheck.constantFrom(..."abcz019-", ...hostileCharacters)
  const bucketLike = FastCheck.oneof(
    FastCheck.tuple(
      FastCheck.string({ unit: labelCharacters, maxLength: 12 }),
      FastCheck.string({ unit: FastCheck.constantFrom(..."0123456789", ...hostileCharacters), maxLength: 12 })
    ).map(([name, appId]) => `${name}-${appId}`),
    FastCheck.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?-[0-9]{1,12}$/),
    anyText
  )
  const regionLike = FastCheck.oneof(
    FastCheck.array(FastCheck.string({ unit: labelCharacters, minLength: 1, maxLength: 8 }), {
      minLength: 1,
      maxLength: 4
    })
      .map((parts) => parts.join("-")),
    FastCheck.stringMatching(/^[a-z]{2,4}(-[a-z0-9]{1,10}){1,3}$/),
    anyText
  )

  it.effect.prop(
    "bucket and region reach their own host or are rejected",
    [bucketLike, regionLike],
    ([bucket, region]) =>
      Effect.gen(function*() {
        const client = yield* Effect.exit(CiClient.make({ ...fixtureOptions, bucket, region }))
        if (Exit.isFailure(client)) {
          expectInvalidInput(client, ["bucket", "region"])
          expect(yield* TestHttpClient.requests).toHaveLength(0)
          return
        }
        yield* BatchJobs.cancel(jobId).pipe(Effect.provideService(CiClient.CiClient, client.value))
        const sent = yield* TestHttpClient.requests

        expect(sent).toHaveLength(1)
        expectUrl(sent[0].url, `https://${bucket}.ci.${region}.myqcloud.com`, cancelPath(jobId), { cancel: "" })
      }).pipe(Effect.provide(TestHttpClient.layer(() => TestHttpClient.respond(200)))),
    { fastCheck: { numRuns } }
  )

  const endpointParts = (tail: FastCheck.Arbitrary<string>) =>
    FastCheck.tuple(
      FastCheck.constantFrom("http", "https", "HTTP", "ftp", "file", "javascript", "ws", ""),
      FastCheck.constantFrom("://", "://", "://", ":/", ":", ":\\\\", "://user@", "://a:b@", ":///"),
      FastCheck.constantFrom(
        "127.0.0.1",
        "localhost",
        "example.com",
        "[::1]",
        "0x7f.1",
        "a..b",
        "xn--nxasmq6b",
        "",
        "%41",
        "ex ample"
      ),
      FastCheck.constantFrom("", ":8080", ":0", ":65536", ":abc", ":"),
      tail
    ).map((parts) => parts.join(""))
  const plausibleEndpoint = FastCheck.tuple(
    FastCheck.constantFrom("http://", "https://", "HTTPS://"),
    FastCheck.oneof(FastCheck.domain(), FastCheck.ipV4(), FastCheck.ipV6().map((address) => `[${address}]`)),
    FastCheck.constantFrom("", ":8080", ":443", ":0"),
    FastCheck.constantFrom("", "/")
  ).map((parts) => parts.join(""))
  const endpointLike = FastCheck.oneof(
    plausibleEndpoint,
    endpointParts(FastCheck.constantFrom("", "/")),
    endpointParts(
      FastCheck.constantFrom("/path", "?q=1", "#f", "\\evil.example", "@evil.example", "/%2e%2e/", " ", "/?", "?", "#")
    ),
    endpointParts(anyText),
    anyText
  )

  it.effect.prop(
    "an endpoint is used as its own origin or rejected",
    [endpointLike],
    ([endpoint]) =>
      Effect.gen(function*() {
        const client = yield* Effect.exit(CiClient.make({ ...fixtureOptions, endpoint }))
        if (Exit.isFailure(client)) {
          expectInvalidInput(client, ["endpoint"])
          expect(yield* TestHttpClient.requests).toHaveLength(0)
          return
        }
        yield* BatchJobs.cancel(jobId).pipe(Effect.provideService(CiClient.CiClient, client.value))
        const sent = yield* TestHttpClient.requests
        const origin = new URL(endpoint).origin

        expect(client.value.endpoint).toBe(origin)
        expect(sent).toHaveLength(1)
        expectUrl(sent[0].url, origin, cancelPath(jobId), { cancel: "" })
      }).pipe(Effect.provide(TestHttpClient.layer(() => TestHttpClient.respond(200)))),
    { fastCheck: { numRuns } }
  )

  const listFilters = FastCheck.record(
    { name: anyText, workflowId: anyText, nextToken: anyText, jobId: jobIdLike },
    { requiredKeys: [] }
  )

  it.effect.prop(
    "list filters stay query values of the list path or are rejected",
    [listFilters],
    ([filters]) =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(BatchJobs.list(filters))
        const sent = yield* TestHttpClient.requests

        if (Exit.isFailure(exit)) {
          expectInvalidInput(exit, Object.keys(filters))
          expect(sent).toHaveLength(0)
          return
        }
        expect(sent).toHaveLength(1)
        expect(sent[0].method).toBe("GET")
        expectUrl(sent[0].url, `https://${ciHost}`, "/inventorytriggerjob", filters)
      }).pipe(Effect.provide(stubLayer(() => xmlOk("<Response><RequestId>REQ-1</RequestId></Response>")))),
    {
      fastCheck: { numRuns }
    }
  )
})
