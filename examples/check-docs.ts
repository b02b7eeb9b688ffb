/**
 * Checks the user documentation against the code: every relative link in the READMEs and guides
 * must point to an existing file, and every TypeScript block in them must type-check against the
 * workspace packages. Each block is written to its own module under `.blocks/`, so blocks must be
 * complete programs with their own imports. Run with `pnpm check:docs` from the repository root.
 */
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"

const repository = Path.resolve(import.meta.dirname, "..")
const blocksDirectory = Path.join(import.meta.dirname, ".blocks")

const markdownFiles = (): ReadonlyArray<string> => {
  const files = ["README.md", "README.zh-CN.md"]
  for (const directory of ["docs", "docs/zh-CN"]) {
    for (const name of Fs.readdirSync(Path.join(repository, directory)).sort()) {
      if (name.endsWith(".md")) {
        files.push(`${directory}/${name}`)
      }
    }
  }
  for (const name of Fs.readdirSync(Path.join(repository, "packages")).sort()) {
    for (const readme of ["README.md", "README.zh-CN.md"]) {
      const file = `packages/${name}/${readme}`
      if (Fs.existsSync(Path.join(repository, file))) {
        files.push(file)
      }
    }
  }
  return files
}

const problems: Array<string> = []
const blocks: Array<{ readonly file: string; readonly name: string }> = []

Fs.rmSync(blocksDirectory, { recursive: true, force: true })
Fs.mkdirSync(blocksDirectory)

for (const file of markdownFiles()) {
  const text = Fs.readFileSync(Path.join(repository, file), "utf8")

  // Links: a relative target, without its #fragment, must exist.
  for (const match of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
    const target = match[1]
    if (/^[a-z]+:/i.test(target)) {
      continue
    }
    if (!Fs.existsSync(Path.resolve(repository, Path.dirname(file), target))) {
      problems.push(`${file}: broken link ${target}`)
    }
  }

  // TypeScript blocks, each as a module of its own.
  let index = 0
  for (const match of text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```/gm)) {
    index += 1
    const name = `${file.replace(/[/.]/g, "_")}_${index}.ts`
    // `export {}` makes a block without imports a module too, so blocks never share names.
    Fs.writeFileSync(Path.join(blocksDirectory, name), `${match[1]}\nexport {}\n`)
    blocks.push({ file, name })
  }
}

Fs.writeFileSync(
  Path.join(blocksDirectory, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../tsconfig.base.json",
      compilerOptions: {
        composite: false,
        incremental: false,
        noEmit: true,
        noUnusedLocals: false,
        types: ["node"]
      },
      include: ["*.ts"]
    },
    null,
    2
  )
)

const tsc = ChildProcess.spawnSync(
  process.execPath,
  [
    Path.join(import.meta.dirname, "node_modules", "typescript", "bin", "tsc"),
    "-p",
    Path.join(blocksDirectory, "tsconfig.json")
  ],
  { encoding: "utf8" }
)
if (tsc.status !== 0) {
  // Name the document each failing block came from.
  for (const line of tsc.stdout.split("\n").filter((line) => line.trim() !== "")) {
    const block = blocks.find((candidate) => line.includes(candidate.name))
    problems.push(block === undefined ? line : `${block.file}: ${line}`)
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"))
  console.error(`\n${problems.length} problems in the documentation`)
  process.exit(1)
}
console.log(`Documentation: links resolve and ${blocks.length} TypeScript blocks type-check`)
