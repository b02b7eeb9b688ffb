/**
 * Checks that every export of every public module (packages/*\/src/*.ts, not src/internal) has a
 * JSDoc block with `@since` and `@category`, and that every module opens with a doc comment that
 * has `@since`. Docgen enforces `@since` only; this adds `@category`, which groups the API docs.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import ts from "typescript"

const packagesDirectory = Path.resolve(import.meta.dirname, "..", "packages")
const problems: Array<string> = []
let exportsChecked = 0

const tagsOf = (node: ts.Node): ReadonlySet<string> => new Set(ts.getJSDocTags(node).map((tag) => tag.tagName.text))

for (const name of Fs.readdirSync(packagesDirectory).sort()) {
  const sourceDirectory = Path.join(packagesDirectory, name, "src")
  for (const file of Fs.readdirSync(sourceDirectory).sort()) {
    // index.ts re-exports whole modules, and bin.ts is a program, not an API.
    if (!file.endsWith(".ts") || file === "index.ts" || file === "bin.ts") {
      continue
    }
    const path = Path.join(sourceDirectory, file)
    const where = Path.relative(Path.dirname(packagesDirectory), path)
    const source = ts.createSourceFile(path, Fs.readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true)

    if (!/^\/\*\*[\s\S]*?@since[\s\S]*?\*\//.test(source.text.trimStart())) {
      problems.push(`${where}: the module does not open with a doc comment that has @since`)
    }

    for (const statement of source.statements) {
      const isExported = ts.canHaveModifiers(statement) &&
        (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      if (!isExported || ts.isExportDeclaration(statement)) {
        continue
      }
      // A variable statement carries its doc comment; other declarations carry their own.
      const named = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0] : statement
      const label = ts.getNameOfDeclaration(named as ts.Declaration)?.getText(source) ?? "(anonymous)"
      const tags = ts.isVariableStatement(statement)
        ? new Set([...tagsOf(statement), ...tagsOf(named)])
        : tagsOf(statement)
      exportsChecked++
      for (const tag of ["since", "category"]) {
        if (!tags.has(tag)) {
          problems.push(`${where}: export ${label} has no @${tag}`)
        }
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"))
  process.exit(1)
}
console.log(`API docs: ${exportsChecked} exports have @since and @category`)
