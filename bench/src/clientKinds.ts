import type { Role } from "./report.js"

/** A cancel client that the round-trip and memory benchmarks compare. */
export interface ClientKind {
  readonly id: ClientId
  /** The module under `src/clients/` that makes this client. */
  readonly module: string
  /** The name printed in the table. */
  readonly label: string
  readonly role: Role
}

export type ClientId =
  | "ours-undici"
  | "ours-fetch"
  | "ours-node-http"
  | "official"
  | "floor"
  | "undici"
  | "effect-undici"
  | "fetch"

export const clientKinds: ReadonlyArray<ClientKind> = [
  { id: "ours-undici", module: "oursUndici", label: "effect-cos, NodeHttpClient.layerUndici", role: "ours" },
  { id: "ours-fetch", module: "oursFetch", label: "effect-cos, FetchHttpClient.layer", role: "ours" },
  { id: "ours-node-http", module: "oursNodeHttp", label: "effect-cos, NodeHttpClient.layer", role: "ours" },
  { id: "official", module: "official", label: "cos-nodejs-sdk-v5, cos.request", role: "official" },
  { id: "floor", module: "nodeHttp", label: "floor: node:http, keep-alive, presigned", role: "floor" },
  { id: "undici", module: "undici", label: "reference: undici.request, presigned", role: "reference" },
  {
    id: "effect-undici",
    module: "effectUndici",
    label: "reference: Effect HttpClient, layerUndici, presigned",
    role: "reference"
  },
  { id: "fetch", module: "fetch", label: "reference: fetch, presigned", role: "reference" }
]

export const clientKind = (id: string): ClientKind => {
  const kind = clientKinds.find((candidate) => candidate.id === id)
  if (kind === undefined) {
    throw new Error(
      `unknown client "${id}", expected one of ${clientKinds.map((candidate) => candidate.id).join(", ")}`
    )
  }
  return kind
}
