import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { faultCases, httpClients } from "./matrix.js"
import { parseTable, publishedColumns, reportPaths } from "./report.js"

// docs/reliability.md and its Chinese version publish the fault matrix. When the matrix changes,
// these tests fail until `pnpm reliability` has written the pages again.

describe("published fault matrix", () => {
  for (const language of ["en", "zh"] as const) {
    it(`${reportPaths[language].split("/docs/")[1]} matches the matrix`, () => {
      const rows = parseTable(Fs.readFileSync(reportPaths[language], "utf8"))

      expect(rows.map((row) => row.slice(0, 4))).toStrictEqual(
        faultCases.map((faultCase) => publishedColumns(faultCase, language))
      )
      // One measured time per HTTP client follows the published columns.
      for (const row of rows) {
        expect(row.slice(4)).toHaveLength(httpClients.length)
        expect(row.slice(4).every((cell) => /^\d+(?:\.\d+)? m?s$/.test(cell))).toBe(true)
      }
    })
  }
})
