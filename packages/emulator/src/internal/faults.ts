import type * as Http from "node:http"
import type * as Emulator from "../Emulator.js"

interface ActiveRule {
  readonly rule: Emulator.FaultRule
  remaining: number
}

/**
 * Returns why a rule is invalid, or `undefined` when it can be used.
 *
 * @internal
 */
export const checkRule = (rule: Emulator.FaultRule): string | undefined => {
  const times = rule.times ?? 1
  if (!(times === Infinity || (Number.isInteger(times) && times > 0))) {
    return `FaultRule.times must be a positive integer or Infinity, got ${times}`
  }
  const fault = rule.fault
  if (fault._tag === "Delay" && !(Number.isFinite(fault.millis) && fault.millis >= 0)) {
    return `Delay.millis must be a finite number of milliseconds >= 0, got ${fault.millis}`
  }
  // node:http rejects other status codes when it writes the response.
  const hasStatus = fault._tag === "Reply" || fault._tag === "StallMidBody" || fault._tag === "ResetMidBody"
  if (hasStatus && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 999)) {
    return `${fault._tag}.status must be an integer from 100 to 999, got ${fault.status}`
  }
  return undefined
}

/**
 * Injected fault rules, tried in insertion order. A rule is removed once its count reaches zero.
 *
 * @internal
 */
export class FaultQueue {
  private rules: Array<ActiveRule> = []

  add(rule: Emulator.FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? 1 })
  }

  /** Returns the fault for this request, if a rule matches, and counts the use. */
  take(method: string, rawPath: string): Emulator.Fault | undefined {
    const active = this.rules.find(({ rule }) =>
      (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
      (rule.path === undefined || rule.path === rawPath)
    )
    if (active === undefined) {
      return undefined
    }

    active.remaining -= 1
    if (active.remaining <= 0) {
      this.rules = this.rules.filter((rule) => rule !== active)
    }
    return active.rule.fault
  }
}

const hasHeader = (headers: Record<string, string>, name: string): boolean =>
  Object.keys(headers).some((key) => key.toLowerCase() === name)

/**
 * Sends a scripted response: exactly the given headers, plus `Content-Length` unless given.
 *
 * @internal
 */
export const sendReply = (
  response: Http.ServerResponse,
  fault: Extract<Emulator.Fault, { readonly _tag: "Reply" }>
): void => {
  const body = Buffer.from(fault.body ?? "", "utf8")
  const headers = { ...fault.headers }
  if (!hasHeader(headers, "content-length")) {
    headers["Content-Length"] = String(body.length)
  }
  response.sendDate = false
  response.writeHead(fault.status, headers)
  response.end(body)
}

/**
 * Sends the status, the headers with a `Content-Length` for the whole body, and the first half of
 * the body's bytes, then leaves the response open. Only the client or closing the emulator ends it.
 *
 * @internal
 */
export const stallMidBody = (
  response: Http.ServerResponse,
  fault: Extract<Emulator.Fault, { readonly _tag: "StallMidBody" | "ResetMidBody" }>
): void => {
  const body = Buffer.from(fault.body, "utf8")
  response.sendDate = false
  response.writeHead(fault.status, { ...fault.headers, "Content-Length": String(body.length) })
  // Flush so the headers go out even when half the body is zero bytes.
  response.flushHeaders()
  response.write(body.subarray(0, Math.floor(body.length / 2)))
}

/**
 * How long `ResetMidBody` waits after writing half the body before it resets the connection. A reset
 * sent right behind the data can reach the client before it has read that data, and the client would
 * then report a reset before the headers.
 */
const resetDelayMillis = 50

/**
 * Sends what {@link stallMidBody} sends, then resets the connection with a TCP RST.
 *
 * @internal
 */
export const resetMidBody = (
  response: Http.ServerResponse,
  fault: Extract<Emulator.Fault, { readonly _tag: "ResetMidBody" }>
): void => {
  stallMidBody(response, fault)
  const socket = response.socket
  if (socket === null) {
    return
  }
  const timer = setTimeout(() => socket.resetAndDestroy(), resetDelayMillis)
  socket.once("close", () => clearTimeout(timer))
}
