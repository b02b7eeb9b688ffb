#!/usr/bin/env node
// Runs the TypeScript entry point on Node 20, which cannot load .ts files by itself: tsx registers
// a loader for the rest of this process.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
