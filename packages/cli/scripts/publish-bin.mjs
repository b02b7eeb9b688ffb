// In the workspace `cos-ci` runs TypeScript through bin/cos-ci.mjs and tsx. The published package has
// compiled JavaScript instead, so the manifest that pack-v3 wrote into dist points the command there.
import * as Fs from "node:fs"
import * as Url from "node:url"

const manifestPath = new Url.URL("../dist/package.json", import.meta.url)
const manifest = JSON.parse(Fs.readFileSync(manifestPath, "utf8"))
manifest.bin = { "cos-ci": "./dist/esm/bin.js" }
Fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
