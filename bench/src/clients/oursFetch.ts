import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { makeOurs } from "./ours.js"

export const make = makeOurs(FetchHttpClient.layer)
