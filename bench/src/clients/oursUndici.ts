import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { makeOurs } from "./ours.js"

export const make = makeOurs(NodeHttpClient.layerUndici)
