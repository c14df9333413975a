import { readFileSync, writeFileSync } from 'node:fs'
import { extname } from 'node:path'
import { type Locale, translate } from '@common/i18n/messages'
import type { Command } from 'commander'
import { loadConfig } from '../config'
import type { DatabaseHandle } from '../db/client'
import { describeProblem } from '../modules/organisation/unit-tree.presenter'
import { exportUnits } from '../modules/organisation/units-export.service'
import {
  type ImportReport,
  importUnits,
  type UnitFileFormat,
} from '../modules/organisation/units-import.service'
import { CliError } from './cli-error'
import { openMigratedDatabase } from './database'

const out = (line = '') => process.stdout.write(`${line}\n`)

async function withDb<T>(fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openMigratedDatabase(loadConfig())
  try {
    return await fn(handle)
  } finally {
    await handle.close()
  }
}

const formatOf = (file: string, given?: string): UnitFileFormat => {
  const f = (given ?? extname(file).slice(1)).toLowerCase()
  if (f === 'csv' || f === 'json') return f
  throw new CliError(`cannot tell the format of "${file}": name it .csv or .json, or pass --format csv|json`)
}

export function printImportReport(report: ImportReport, locale: Locale, format: UnitFileFormat): void {
  if (report.problems.length) {
    out(translate(locale, 'import.failed', { count: report.problems.length }))
    for (const p of report.problems) out(`  ${describeProblem(p, locale, format)}`)
    return
  }
  const t = (key: string, n: number) => translate(locale, key, { count: n })
  out(
    `${t('import.summary.created', report.created.length)}, ${t('import.summary.updated', report.updated.length)}, ` +
      `${t('import.summary.unchanged', report.unchanged.length)}${report.dryRun ? ` — ${translate(locale, 'import.dry_run')}` : ''}`,
  )
  for (const c of report.created) out(`  + ${c.key}  ${c.name}`)
  for (const u of report.updated) out(`  ~ ${u.key}  ${u.name}  (${u.changes.join(', ')})`)
}

/** `nhipcau import units FILE [--dry-run]` and `nhipcau export units [--format] [--root SLUG] [--out FILE]`. */
export function registerUnitsCommands(program: Command): void {
  const importCmd =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('import data from files')
  const exportCmd =
    program.commands.find((c) => c.name() === 'export') ??
    program.command('export').description('export data to files')

  importCmd
    .command('units <file>')
    .description(
      'import or update the unit tree from CSV or JSON (one transaction: a bad row imports nothing)',
    )
    .option('--dry-run', 'show what would be created, updated or left unchanged, and write nothing', false)
    .option('--format <format>', 'csv or json (default: from the file name)')
    .option('--lang <lang>', 'language of the report: vi or en', 'vi')
    .action((file: string, opts: { dryRun: boolean; format?: string; lang: string }) =>
      withDb(async (handle) => {
        const format = formatOf(file, opts.format)
        const locale: Locale = opts.lang === 'en' ? 'en' : 'vi'
        let text: string
        try {
          text = readFileSync(file, 'utf8')
        } catch {
          throw new CliError(`cannot read "${file}"`)
        }
        const report = await importUnits(handle.db, text, { format, dryRun: opts.dryRun })
        printImportReport(report, locale, format)
        if (report.problems.length) process.exitCode = 1
      }),
    )

  exportCmd
    .command('units')
    .description('export the unit tree (or one subtree) in the import format')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--root <slug>', 'only this unit and everything under it')
    .option('--out <file>', 'write to a file instead of standard output')
    .action((opts: { format: string; root?: string; out?: string }) =>
      withDb(async (handle) => {
        const format = formatOf('', opts.format)
        const text = await exportUnits(handle.db, { format, rootSlug: opts.root }).catch((err: unknown) => {
          throw (err as { kind?: string }).kind === 'not_found'
            ? new CliError(`no unit with slug "${opts.root}"`)
            : err
        })
        if (opts.out) writeFileSync(opts.out, text)
        else process.stdout.write(text)
      }),
    )
}
