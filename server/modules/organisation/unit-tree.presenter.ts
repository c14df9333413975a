import { type Locale, translate } from '@common/i18n/messages'
import type { TUnitTreeImportReport } from '@common/schemas/unit-tree'
import type { ImportProblem } from './units-import.rows'
import type { ImportReport, UnitFileFormat } from './units-import.service'

/** Where a problem is: "Dòng 12" in a CSV file, "Mục 3" in a JSON list. */
export const problemWhere = (p: ImportProblem, locale: Locale, format: UnitFileFormat) =>
  translate(locale, format === 'json' ? 'import.where.entry' : 'import.where.line', { line: p.line })

export const problemMessage = (p: ImportProblem, locale: Locale) =>
  translate(locale, `import.problem.${p.code}`, p.vars ?? {})

/** One problem as a line: "Dòng 12, kind: …" in the chosen language (the CLI prints these). */
export function describeProblem(p: ImportProblem, locale: Locale, format: UnitFileFormat): string {
  return `${problemWhere(p, locale, format)}${p.field ? `, ${p.field}` : ''}: ${problemMessage(p, locale)}`
}

export function presentImportReport(
  report: ImportReport,
  locale: Locale,
  format: UnitFileFormat,
): TUnitTreeImportReport {
  return {
    dryRun: report.dryRun,
    written: !report.dryRun && report.problems.length === 0,
    created: report.created.map(({ line, key, name }) => ({ line, key, name })),
    updated: report.updated.map(({ line, key, name, changes }) => ({ line, key, name, changes })),
    unchanged: report.unchanged.length,
    refused: report.problems.map((p) => ({
      line: p.line,
      where: problemWhere(p, locale, format),
      field: p.field ?? null,
      code: p.code,
      message: problemMessage(p, locale),
    })),
  }
}
