import * as Emulator from "@effect-cos/emulator/Emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Crypto from "node:crypto"
import {
  expectError,
  expectXmlResponse,
  fixedNow,
  fixedNowCiTime,
  sendSigned,
  startEmulator,
  workflowBody
} from "./helpers.js"

const create = (emulator: Emulator.Emulator.Service, body: string, headers?: Record<string, string>) =>
  sendSigned(emulator, {
    method: "POST",
    path: "/inventorytriggerjob",
    headers: { "content-type": "application/xml", ...headers },
    body
  })

const list = (emulator: Emulator.Emulator.Service, query: ReadonlyArray<readonly [string, string]>) =>
  sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob", query })

const cancel = (emulator: Emulator.Emulator.Service, jobId: string) =>
  sendSigned(emulator, {
    method: "PUT",
    path: `/inventorytriggerjob/${jobId}`,
    query: [["cancel", undefined]],
    body: ""
  })

/** Returns the `JobsDetail` elements of a response as a list, whether there are 0, 1 or more. */
const jobsOf = (response: Record<string, any>): ReadonlyArray<Record<string, any>> => {
  const jobs = response["JobsDetail"]
  return jobs === undefined ? [] : Array.isArray(jobs) ? jobs : [jobs]
}

const stateOf = (emulator: Emulator.Emulator.Service, jobId: string) =>
  Effect.map(emulator.getJob(jobId), Option.map((job) => job.state))

describe("create", () => {
  it.scopedLive("workflow job is stored and echoed", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const body = "<Request><Name>demo</Name><Input><Manifest>inventory/manifest.json</Manifest></Input><Operation>" +
        "<WorkflowIds>w1</WorkflowIds><TimeInterval><Start>2023-01-01T00:00:00+0800</Start><End>now</End>" +
        "</TimeInterval></Operation></Request>"
      const result = yield* create(emulator, body)

      const response = expectXmlResponse(result)
      const job = response["JobsDetail"]
      expect(job["JobId"]).toMatch(/^b[0-9a-f]{32}$/)
      expect(result.body).toBe(
        `<Response><RequestId>${result.headers["x-ci-request-id"]}</RequestId><JobsDetail>` +
          `<Code>Success</Code><Message></Message><JobId>${job["JobId"]}</JobId><Name>demo</Name>` +
          `<Type>Workflow</Type><State>Submitted</State><CreationTime>${fixedNowCiTime}</CreationTime>` +
          "<StartTime>-</StartTime><EndTime>-</EndTime><Input><Manifest>inventory/manifest.json</Manifest></Input>" +
          "<Operation><WorkflowIds>w1</WorkflowIds><TimeInterval><Start>2023-01-01T00:00:00+0800</Start>" +
          "<End>now</End></TimeInterval></Operation></JobsDetail></Response>"
      )

      const stored = yield* emulator.getJob(job["JobId"])
      expect(Option.getOrThrow(stored)).toEqual({
        jobId: job["JobId"],
        name: "demo",
        type: "Workflow",
        state: "Submitted",
        creationTime: new Date(fixedNow),
        code: "Success",
        message: "",
        input: { manifest: "inventory/manifest.json" },
        operation: { WorkflowIds: "w1", TimeInterval: { Start: "2023-01-01T00:00:00+0800", End: "now" } }
      })
    }))

  it.scopedLive("independent node job renders Tag and QueueId", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const body =
        "<Request>\n  <Name>transcode</Name>\n  <Type>Job</Type>\n  <Input><Object>a.mp4</Object></Input>\n" +
        "  <Operation>\n    <Tag>Transcode</Tag>\n    <QueueId>p1</QueueId>\n" +
        "    <JobParam><TemplateId>t1</TemplateId></JobParam>\n  </Operation>\n</Request>"
      const result = yield* create(emulator, body)

      const response = expectXmlResponse(result)
      const job = response["JobsDetail"]
      expect(Object.keys(job)).toEqual([
        "Code",
        "Message",
        "JobId",
        "Tag",
        "Name",
        "Type",
        "State",
        "CreationTime",
        "StartTime",
        "EndTime",
        "QueueId",
        "Input",
        "Operation"
      ])
      expect(job["Tag"]).toBe("Transcode")
      expect(job["QueueId"]).toBe("p1")
      expect(result.body).toContain(
        "<Operation><Tag>Transcode</Tag><QueueId>p1</QueueId><JobParam><TemplateId>t1</TemplateId></JobParam></Operation>"
      )
    }))

  it.scopedLive("name with XML special characters round-trips", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const name = "a<&>\"' b"
      const created = yield* create(emulator, workflowBody("a&lt;&amp;&gt;&quot;&apos; b"))
      const jobId = expectXmlResponse(created)["JobsDetail"]["JobId"]
      const described = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${jobId}` })

      expect(created.body).toContain("<Name>a&lt;&amp;&gt;&quot;&apos; b</Name>")
      expect(expectXmlResponse(described)["JobsDetail"]["Name"]).toBe(name)
      expect(Option.getOrThrow(yield* emulator.getJob(jobId)).name).toBe(name)
    }))

  it.scopedLive("carriage return in a name round-trips", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const created = yield* create(emulator, workflowBody("a&#xD;b"))
      const jobId = expectXmlResponse(created)["JobsDetail"]["JobId"]
      const described = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${jobId}` })

      expect(Option.getOrThrow(yield* emulator.getJob(jobId)).name).toBe("a\rb")
      // A literal carriage return would reach the client as a line feed, because XML parsers normalize line ends.
      expect(created.body).toContain("<Name>a&#xD;b</Name>")
      expect(described.body).toContain("<Name>a&#xD;b</Name>")
      expect(expectXmlResponse(described)["JobsDetail"]["Name"]).toBe("a\rb")
    }))

  it.scopedLive("seeded text with line ends and tabs round-trips", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const text = "a\r\nb\rc\td\n"
      const job = yield* emulator.seedJob({ name: text, operation: { UserData: text } })
      const result = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${job.jobId}` })
      const detail = expectXmlResponse(result)["JobsDetail"]

      expect(result.body).toContain("<Name>a&#xD;\nb&#xD;c\td\n</Name>")
      expect(detail["Name"]).toBe(text)
      expect(detail["Operation"]["UserData"]).toBe(text)
    }))

  it.scopedLive("seeded text with special characters is escaped", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({
        name: "<b>&",
        input: { prefix: "a'\"" },
        operation: { WorkflowIds: "w<1>", UserData: ["x&y", "z"] }
      })
      const result = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${job.jobId}` })

      expect(result.body).toContain("<Name>&lt;b&gt;&amp;</Name>")
      expect(result.body).toContain("<Input><Prefix>a&apos;&quot;</Prefix></Input>")
      expect(result.body).toContain(
        "<Operation><WorkflowIds>w&lt;1&gt;</WorkflowIds><UserData>x&amp;y</UserData><UserData>z</UserData></Operation>"
      )
    }))

  it.scopedLive("Content-MD5 is checked when sent", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const body = workflowBody("md5")
      const md5 = Crypto.createHash("md5").update(body).digest("base64")
      const matching = yield* create(emulator, body, { "content-md5": md5 })
      const mismatching = yield* create(emulator, body, { "content-md5": "AAAAAAAAAAAAAAAAAAAAAA==" })

      expect(matching.status).toBe(200)
      const error = expectError(mismatching, 400, "InvalidContent")
      expect(error["Message"]).toBe(
        `Content-MD5 "AAAAAAAAAAAAAAAAAAAAAA==" does not match the body, whose MD5 is "${md5}".`
      )
    }))

  it.scopedLive("empty body gives MissingContent", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* create(emulator, "")

      expectError(result, 400, "MissingContent")
    }))

  it.scopedLive("malformed XML gives InvalidContent", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const bodies = [
        "<Request><Name>x</Request>",
        "not xml",
        "<Other><Name>x</Name></Other>",
        "<Request/><Request/>",
        "<!DOCTYPE r [<!ENTITY e \"x\">]><Request><Name>&e;</Name></Request>",
        "<Request><__proto__><a>1</a></__proto__></Request>"
      ]
      const results = yield* Effect.forEach(bodies, (body) => create(emulator, body))

      for (const result of results) {
        expectError(result, 400, "InvalidContent")
      }
      expect(yield* emulator.requests).toHaveLength(bodies.length)
    }))

  it.scopedLive("invalid fields give InvalidArgument", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const input = "<Input><Prefix>p</Prefix></Input>"
      const workflow = "<Operation><WorkflowIds>w1</WorkflowIds></Operation>"
      const cases: ReadonlyArray<readonly [string, string]> = [
        [`<Request>${input}${workflow}</Request>`, "Name is required"],
        [`<Request><Name> </Name>${input}${workflow}</Request>`, "Name must not be empty"],
        [
          `<Request><Name>${"x".repeat(129)}</Name>${input}${workflow}</Request>`,
          "Name must be at most 128 characters, got 129"
        ],
        [
          `<Request><Name>a</Name><Name>b</Name>${input}${workflow}</Request>`,
          "Name must appear once and contain only text"
        ],
        [
          `<Request><Name>a</Name><Type>Batch</Type>${input}${workflow}</Request>`,
          "Type must be Workflow or Job, got \"Batch\""
        ],
        [`<Request><Name>a</Name>${workflow}</Request>`, "Input is required"],
        [
          `<Request><Name>a</Name><Input></Input>${workflow}</Request>`,
          "Input must contain exactly one of Manifest, UrlFile, Prefix or Object, got none"
        ],
        [
          `<Request><Name>a</Name><Input><Prefix>p</Prefix><Object>o</Object></Input>${workflow}</Request>`,
          "Input must contain exactly one of Manifest, UrlFile, Prefix or Object, got Prefix, Object"
        ],
        [`<Request><Name>a</Name>${input}</Request>`, "Operation is required"],
        [
          `<Request><Name>a</Name>${input}<Operation><Tag>Transcode</Tag></Operation></Request>`,
          "Operation/WorkflowIds is required when Type is Workflow"
        ],
        [
          `<Request><Name>a</Name><Type>Job</Type>${input}${workflow}</Request>`,
          "Operation/Tag is required when Type is Job"
        ]
      ]
      const results = yield* Effect.forEach(cases, ([body]) => create(emulator, body))

      expect(results.map((result) => expectError(result, 400, "InvalidArgument")["Message"])).toEqual(
        cases.map(([, message]) => message)
      )
    }))

  it.scopedLive("name of exactly 128 characters is accepted", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* create(emulator, workflowBody("名".repeat(128)))

      expect(result.status).toBe(200)
    }))
})

describe("describe", () => {
  it.scopedLive("known job gives JobsDetail", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({
        type: "Job",
        state: "Running",
        progress: 40,
        queueId: "p1",
        creationTime: new Date(fixedNow - 3_600_000)
      })
      const result = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${job.jobId}` })

      const detail = expectXmlResponse(result)["JobsDetail"]
      expect(detail).toEqual({
        Code: "Success",
        Message: "",
        JobId: job.jobId,
        Tag: "Transcode",
        Name: "seeded-job",
        Type: "Job",
        State: "Running",
        CreationTime: "2023-11-15T05:13:20+0800",
        StartTime: "2023-11-15T05:13:20+0800",
        EndTime: "-",
        Progress: "40",
        QueueId: "p1",
        Input: { Prefix: "input/" },
        Operation: { Tag: "Transcode", QueueId: "p1" }
      })
    }))

  it.scopedLive("unknown job gives NonExistJobIds", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* sendSigned(emulator, { method: "GET", path: "/inventorytriggerjob/bmissing" })

      expect(result.status).toBe(200)
      expect(result.body).toBe(
        `<Response><RequestId>${
          result.headers["x-ci-request-id"]
        }</RequestId><NonExistJobIds>bmissing</NonExistJobIds></Response>`
      )
    }))

  it.scopedLive("failed job carries its code", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({ state: "Failed" })
      const result = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${job.jobId}` })

      const detail = expectXmlResponse(result)["JobsDetail"]
      expect(detail["Code"]).toBe("InternalError")
      expect(detail["Message"]).toBe("The job failed.")
      expect(detail["EndTime"]).toBe(fixedNowCiTime)
    }))
})

describe("list", () => {
  /** Seeds `count` jobs one minute apart, oldest first, named job-0, job-1 and so on. */
  const seedMany = (emulator: Emulator.Emulator.Service, count: number) =>
    Effect.forEach(Array.from({ length: count }, (_, index) => index), (index) =>
      emulator.seedJob({
        name: `job-${index}`,
        creationTime: new Date(fixedNow - (count - index) * 60_000),
        state: index % 2 === 0 ? "Running" : "Success",
        type: index % 3 === 0 ? "Job" : "Workflow",
        workflowId: `w${index % 4}`
      }))

  const namesOf = (response: Record<string, any>) => jobsOf(response).map((job) => job["Name"])

  it.scopedLive("pages through every job newest first", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* seedMany(emulator, 25)

      const first = expectXmlResponse(yield* list(emulator, []))
      const second = expectXmlResponse(yield* list(emulator, [["nextToken", first["NextToken"]]]))
      const third = expectXmlResponse(yield* list(emulator, [["nextToken", second["NextToken"]]]))

      expect(namesOf(first)).toEqual(Array.from({ length: 10 }, (_, index) => `job-${24 - index}`))
      expect(namesOf(second)).toEqual(Array.from({ length: 10 }, (_, index) => `job-${14 - index}`))
      expect(namesOf(third)).toEqual(Array.from({ length: 5 }, (_, index) => `job-${4 - index}`))
      expect(first["NextToken"]).toMatch(/^[0-9a-f]{32}$/)
      expect(third["NextToken"]).toBeUndefined()
    }))

  it.scopedLive("Asc order with size", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* seedMany(emulator, 7)

      const first = expectXmlResponse(yield* list(emulator, [["orderByTime", "Asc"], ["size", "4"]]))
      const second = expectXmlResponse(
        yield* list(emulator, [["orderByTime", "Asc"], ["size", "4"], ["nextToken", first["NextToken"]]])
      )

      expect(namesOf(first)).toEqual(["job-0", "job-1", "job-2", "job-3"])
      expect(namesOf(second)).toEqual(["job-4", "job-5", "job-6"])
      expect(second["NextToken"]).toBeUndefined()
    }))

  it.scopedLive("exact page ends without NextToken", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* seedMany(emulator, 4)

      const result = expectXmlResponse(yield* list(emulator, [["size", "4"]]))

      expect(namesOf(result)).toHaveLength(4)
      expect(result["NextToken"]).toBeUndefined()
    }))

  it.scopedLive("empty store gives no JobsDetail", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* list(emulator, [])

      expect(result.status).toBe(200)
      expect(result.body).toBe(`<Response><RequestId>${result.headers["x-ci-request-id"]}</RequestId></Response>`)
    }))

  it.scopedLive("jobs created in the same millisecond keep a stable order", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* Effect.forEach(["a", "b", "c"], (name) => emulator.seedJob({ name }))

      const desc = expectXmlResponse(yield* list(emulator, [["size", "2"]]))
      const descNext = expectXmlResponse(yield* list(emulator, [["size", "2"], ["nextToken", desc["NextToken"]]]))
      const asc = expectXmlResponse(yield* list(emulator, [["orderByTime", "Asc"]]))

      expect([...namesOf(desc), ...namesOf(descNext)]).toEqual(["c", "b", "a"])
      expect(namesOf(asc)).toEqual(["a", "b", "c"])
    }))

  it.scopedLive("filters combine", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const jobs = yield* seedMany(emulator, 12)
      const page = (query: ReadonlyArray<readonly [string, string]>) =>
        Effect.map(list(emulator, [["orderByTime", "Asc"], ["size", "100"], ...query]), (result) =>
          namesOf(expectXmlResponse(result)))

      expect(yield* page([["states", "Success"]])).toEqual(["job-1", "job-3", "job-5", "job-7", "job-9", "job-11"])
      expect(yield* page([["states", "Running,Success"]])).toHaveLength(12)
      expect(yield* page([["states", "All"]])).toHaveLength(12)
      expect(yield* page([["type", "Job"]])).toEqual(["job-0", "job-3", "job-6", "job-9"])
      expect(yield* page([["type", "Job"], ["states", "Running"]])).toEqual(["job-0", "job-6"])
      expect(yield* page([["workflowId", "w1"]])).toEqual(["job-1", "job-5"])
      expect(yield* page([["jobId", jobs[7]!.jobId]])).toEqual(["job-7"])
      expect(yield* page([["name", "job-2"]])).toEqual(["job-2"])
      // job-i was created (12 - i) minutes before 2023-11-15T06:13:20+0800.
      expect(yield* page([["startCreationTime", "2023-11-15T06:10:20+0800"]])).toEqual(["job-9", "job-10", "job-11"])
      expect(yield* page([["endCreationTime", "2023-11-14T22:03:20+0000"]])).toEqual(["job-0", "job-1", "job-2"])
      expect(
        yield* page([["startCreationTime", "2023-11-15T06:03:20+0800"], [
          "endCreationTime",
          "2023-11-15T06:04:20+0800"
        ]])
      ).toEqual(["job-2", "job-3"])
      expect(yield* page([["workflowId", ""], ["jobId", ""], ["name", ""]])).toHaveLength(12)
    }))

  it.scopedLive("times in the years 0 to 99 are read as given", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.seedJob({ name: "1980", creationTime: new Date("1980-01-01T00:00:00Z") })
      yield* emulator.seedJob({ name: "now" })
      const page = (query: ReadonlyArray<readonly [string, string]>) =>
        Effect.map(list(emulator, [["orderByTime", "Asc"], ...query]), (result) => namesOf(expectXmlResponse(result)))

      expect(yield* page([["startCreationTime", "0000-01-01T00:00:00+0000"]])).toEqual(["1980", "now"])
      expect(yield* page([["startCreationTime", "0050-06-01T08:00:00+0800"]])).toEqual(["1980", "now"])
      // Read as 1999, this end would take in the job of 1980.
      expect(yield* page([["endCreationTime", "0099-12-31T23:59:59+0800"]])).toEqual([])
      expect(yield* page([["endCreationTime", "0050-06-01T08:00:00+0800"]])).toEqual([])
    }))

  it.scopedLive("invalid parameters give InvalidArgument naming them", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        ["size", "0", "size must be an integer from 1 to 100, got \"0\""],
        ["size", "101", "size must be an integer from 1 to 100, got \"101\""],
        ["size", "abc", "size must be an integer from 1 to 100, got \"abc\""],
        ["size", "1.5", "size must be an integer from 1 to 100, got \"1.5\""],
        ["type", "workflow", "type must be Workflow or Job, got \"workflow\""],
        ["orderByTime", "desc", "orderByTime must be Desc or Asc, got \"desc\""],
        [
          "states",
          "Running,Done",
          "states must be All or a comma-separated list of Submitted, Running, Success, Failed, Pause, Cancel, got \"Running,Done\""
        ],
        [
          "startCreationTime",
          "2022-02-30T12:00:00+0800",
          "startCreationTime must have the form %Y-%m-%dT%H:%M:%S%z, such as 2022-02-25T12:00:00+0800, got \"2022-02-30T12:00:00+0800\""
        ],
        [
          "endCreationTime",
          "2022-02-25 12:00:00",
          "endCreationTime must have the form %Y-%m-%dT%H:%M:%S%z, such as 2022-02-25T12:00:00+0800, got \"2022-02-25 12:00:00\""
        ],
        ["nextToken", "25", "nextToken \"25\" is invalid; send the NextToken of the previous page"]
      ]
      const results = yield* Effect.forEach(cases, ([name, value]) => list(emulator, [[name, value]]))

      expect(results.map((result) => expectError(result, 400, "InvalidArgument")["Message"])).toEqual(
        cases.map(([, , message]) => message)
      )
    }))

  it.scopedLive("edited or cross-order nextToken is rejected", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* seedMany(emulator, 3)
      const first = expectXmlResponse(yield* list(emulator, [["size", "1"]]))
      const token = first["NextToken"] as string
      const edited = `${token.slice(0, 19)}${token[19] === "0" ? "1" : "0"}${token.slice(20)}`

      const editedResult = yield* list(emulator, [["size", "1"], ["nextToken", edited]])
      const ascResult = yield* list(emulator, [["size", "1"], ["orderByTime", "Asc"], ["nextToken", token]])

      expectError(editedResult, 400, "InvalidArgument")
      const error = expectError(ascResult, 400, "InvalidArgument")
      expect(error["Message"]).toBe("nextToken was issued for orderByTime=Desc; send the same orderByTime as before")
    }))
})

describe("cancel", () => {
  for (const state of ["Submitted", "Running", "Pause"] as const) {
    it.scopedLive(`${state} job is cancelled`, () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const job = yield* emulator.seedJob({ state, creationTime: new Date(fixedNow - 60_000) })
        const result = yield* cancel(emulator, job.jobId)

        expect(result.status).toBe(200)
        expect(result.body).toBe("")
        expect(result.headers["content-length"]).toBe("0")
        expect(result.headers["content-type"]).toBeUndefined()
        expect(result.headers["x-ci-request-id"]).toBeDefined()
        const stored = Option.getOrThrow(yield* emulator.getJob(job.jobId))
        expect(stored.state).toBe("Cancel")
        expect(stored.endTime).toEqual(new Date(fixedNow))
      }))
  }

  for (const state of ["Success", "Failed", "Cancel"] as const) {
    it.scopedLive(`${state} job is rejected`, () =>
      Effect.gen(function*() {
        const emulator = yield* startEmulator()
        const job = yield* emulator.seedJob({ state })
        const result = yield* cancel(emulator, job.jobId)

        const error = expectError(result, 400, "InvalidArgument")
        expect(error["Message"]).toBe(`The job "${job.jobId}" is already finished in state ${state}.`)
        expect(yield* stateOf(emulator, job.jobId)).toEqual(Option.some(state))
      }))
  }

  it.scopedLive("unknown job gives ResourceNotFound", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const result = yield* cancel(emulator, "bmissing")

      const error = expectError(result, 400, "ResourceNotFound")
      expect(error["Message"]).toBe("The job \"bmissing\" does not exist.")
    }))

  it.scopedLive("cancel shows in describe", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({ state: "Running" })
      yield* cancel(emulator, job.jobId)
      const result = yield* sendSigned(emulator, { method: "GET", path: `/inventorytriggerjob/${job.jobId}` })

      const detail = expectXmlResponse(result)["JobsDetail"]
      expect(detail["State"]).toBe("Cancel")
      expect(detail["EndTime"]).toBe(fixedNowCiTime)
    }))
})

describe("routing", () => {
  it.scopedLive("PUT without cancel gives InvalidArgument", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({ state: "Running" })
      const result = yield* sendSigned(emulator, { method: "PUT", path: `/inventorytriggerjob/${job.jobId}`, body: "" })

      const error = expectError(result, 400, "InvalidArgument")
      expect(error["Message"]).toBe(
        "A PUT on a job must carry the cancel sub-resource: PUT /inventorytriggerjob/<jobId>?cancel."
      )
      expect(yield* stateOf(emulator, job.jobId)).toEqual(Option.some("Running"))
    }))

  it.scopedLive("other methods give MethodNotAllowed with Allow", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const onCollection = yield* sendSigned(emulator, { method: "DELETE", path: "/inventorytriggerjob" })
      const onJob = yield* sendSigned(emulator, { method: "POST", path: "/inventorytriggerjob/b1", body: "" })

      expectError(onCollection, 405, "MethodNotAllowed")
      expect(onCollection.headers["allow"]).toBe("GET, POST")
      expectError(onJob, 405, "MethodNotAllowed")
      expect(onJob.headers["allow"]).toBe("GET, PUT")
    }))

  it.scopedLive("unknown paths give InvalidArgument", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const paths = ["/", "/jobs", "/inventorytriggerjob/b1/extra", "/inventorytriggerjob/"]
      const results = yield* Effect.forEach(paths, (path) => sendSigned(emulator, { method: "GET", path }))

      expect(results.map((result) => expectError(result, 400, "InvalidArgument")["Message"])).toEqual([
        "The path / is not a batch-job resource; the emulator serves /inventorytriggerjob only.",
        "The path /jobs is not a batch-job resource; the emulator serves /inventorytriggerjob only.",
        "The path /inventorytriggerjob/b1/extra is not a batch-job resource; the emulator serves /inventorytriggerjob only.",
        "The job id in the path /inventorytriggerjob/ is empty."
      ])
    }))
})

describe("service", () => {
  it.scopedLive("setJobState moves a job and stamps times", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const job = yield* emulator.seedJob({ creationTime: new Date(fixedNow - 60_000) })
      yield* emulator.setJobState(job.jobId, "Running")
      const running = Option.getOrThrow(yield* emulator.getJob(job.jobId))
      yield* emulator.setJobState(job.jobId, "Failed")
      const failed = Option.getOrThrow(yield* emulator.getJob(job.jobId))

      expect(job.startTime).toBeUndefined()
      expect(running.startTime).toEqual(new Date(fixedNow))
      expect(running.endTime).toBeUndefined()
      expect(failed.endTime).toEqual(new Date(fixedNow))
      expect(failed.code).toBe("InternalError")
    }))

  it.scopedLive("setJobState on an unknown id fails", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      const exit = yield* Effect.exit(emulator.setJobState("bmissing", "Running"))

      expect(exit).toEqual(Exit.fail(expect.objectContaining({ _tag: "JobNotFoundError", jobId: "bmissing" })))
    }))

  it.scopedLive("seeding an existing id replaces the job", () =>
    Effect.gen(function*() {
      const emulator = yield* startEmulator()
      yield* emulator.seedJob({ jobId: "bfixed", name: "first" })
      yield* emulator.seedJob({ jobId: "bfixed", name: "second" })

      const result = expectXmlResponse(yield* list(emulator, []))
      expect(jobsOf(result).map((job) => job["Name"])).toEqual(["second"])
    }))

  it.effect("invalid options fail to start", () =>
    Effect.gen(function*() {
      const results = yield* Effect.forEach([
        { port: 70000 },
        { port: 1.5 },
        { futureSkewSeconds: -1 },
        { credentials: [Emulator.defaultCredential, Emulator.defaultCredential] }
      ], (options) => Effect.flip(Effect.scoped(startEmulator(options))))

      expect(results.map((error) => error.message)).toEqual([
        "port must be an integer from 0 to 65535, got 70000",
        "port must be an integer from 0 to 65535, got 1.5",
        "futureSkewSeconds must be a finite number >= 0, got -1",
        "credential SecretIds must be unique and non-empty, got \"AKIDEXAMPLE\""
      ])
    }))
})
