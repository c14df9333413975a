import type { Command } from 'commander'
import { loadConfig } from '../config'
import {
  bundledSearchHints,
  CatalogueFileError,
  type ImportResult,
  importCatalogueFiles,
} from '../modules/procedures/procedure-import.service'
import { CliError } from './cli-error'
import { openMigratedDatabase } from './database'

const out = (line = '') => process.stdout.write(`${line}\n`)

export function printCatalogueImport(result: ImportResult): void {
  out(
    `import procedures: ${result.created.length} created, ${result.updated.length} updated, ${result.unchanged} unchanged; ` +
      `${result.synonymsChanged} search synonyms added or changed`,
  )
  for (const id of result.created) out(`  + ${id}`)
  for (const u of result.updated) out(`  ~ ${u.id}  (${u.fields.join(', ')})`)
}

/**
 * `nhipcau import procedures FILE [--hints FILE | --no-hints]`: idempotent; a procedure gets a
 * new version only when its content changed. The search vocabulary shipped with the catalogue
 * (synonyms, keywords, example questions) is applied unless --no-hints.
 */
export function registerProceduresCommands(program: Command): void {
  const importCmd =
    program.commands.find((c) => c.name() === 'import') ??
    program.command('import').description('import data from files')
  importCmd
    .command('procedures <file>')
    .description(
      'import or update the procedure catalogue from JSON (e.g. ../shared/data/procedures-vn.json)',
    )
    .option(
      '--hints <file>',
      'search vocabulary: synonyms, keywords and example questions',
      bundledSearchHints,
    )
    .option('--no-hints', 'import the catalogue only, without the search vocabulary')
    .action(async (file: string, opts: { hints: string | false }) => {
      const handle = await openMigratedDatabase(loadConfig())
      try {
        printCatalogueImport(await importCatalogueFiles(handle.db, file, opts.hints || null))
      } catch (err) {
        if (err instanceof CatalogueFileError) throw new CliError(err.message)
        throw err
      } finally {
        await handle.close()
      }
    })
}
