import 'dotenv/config'
import { Command, Option } from 'commander'
import { type Config, ConfigError, loadConfig } from '../config'
import type { DatabaseHandle } from '../db/client'
import { DataDirLockedError } from '../db/data-dir-lock'
import { registerBackupCommands } from './backup.command'
import { CliError } from './cli-error'
import { runCreateAdmin } from './create-admin.command'
import { describeMigrations, openMigratedDatabase } from './database'
import { registerProceduresCommands } from './procedures.command'
import { runSeed } from './seed.command'
import { registerUnitsCommands } from './units.command'

const out = (line = '') => process.stdout.write(`${line}\n`)

/** Loads the configuration, opens and migrates the database, runs `fn`, and always closes it. */
async function withDatabase<T>(fn: (handle: DatabaseHandle, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const handle = await openMigratedDatabase(config)
  try {
    return await fn(handle, config)
  } finally {
    await handle.close()
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

const program = new Command('nhipcau')
  .description(
    'NhipCau administration. Reads the same environment and .env as the server (DATABASE_URL, DATA_DIR …).\n' +
      'On the embedded database, stop the server first: the data folder is locked while it runs.',
  )
  .showHelpAfterError()

program
  .command('migrate')
  .description('apply pending database migrations (the server also does this at start)')
  .action(() =>
    withDatabase(async (handle) => {
      out(`migrate: ${await describeMigrations(handle)} (${handle.kind})`)
    }),
  )

program
  .command('seed')
  .description('seed the demo ward (Phường Hai Bà Trưng, Hà Nội) with fictitious officers and residents')
  .option('--reset', 'erase ALL data in the database first (refused when NODE_ENV=production)', false)
  .addOption(
    new Option(
      '--scale <scale>',
      'also make Phường Định Công at the scale of the article (ward: 7,000 households, 80 groups, 18 officers, ~20,000 residents, a quarter of history) or 20 such wards (province)',
    ).choices(['ward', 'province']),
  )
  .action((opts: { reset: boolean; scale?: 'ward' | 'province' }) =>
    withDatabase(async (handle, config) => {
      const result = await runSeed(handle, config, { reset: opts.reset, scale: opts.scale, progress: out })
      out(
        `seed: demo ward seeded${opts.reset ? ' after erasing all data' : ''} (${result.areaIds.length} residential groups)`,
      )
      out('Demo sign-ins:')
      for (const line of result.signIns) out(`  ${line}`)
    }),
  )

program
  .command('create-admin')
  .description('create a system administrator account (the second factor is set up at first sign-in)')
  .requiredOption('--username <username>', 'sign-in name: 3–32 lower-case letters, digits, ".", "-" or "_"')
  .option('--name <name>', 'name shown in the app', 'Quản trị hệ thống')
  .option(
    '--password-stdin',
    'read the password (at least 12 characters) from standard input; otherwise one is generated and printed once',
  )
  .action((opts: { username: string; name: string; passwordStdin?: boolean }) =>
    withDatabase(async (handle) => {
      const password = opts.passwordStdin ? await readStdin() : undefined
      const admin = await runCreateAdmin(handle.db, {
        username: opts.username,
        displayName: opts.name,
        password,
      })
      out(`create-admin: administrator "${admin.username}" created`)
      if (admin.generatedPassword) out(`  password: ${admin.generatedPassword}   (shown once: keep it safe)`)
    }),
  )

registerUnitsCommands(program)
registerBackupCommands(program, out)
registerProceduresCommands(program)

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof CliError) {
    process.stderr.write(`nhipcau: ${err.message}\n`)
    process.exit(err instanceof CliError ? 1 : 78)
  }
  process.stderr.write(`nhipcau: ${(err as Error)?.stack ?? err}\n`)
  process.exit(1)
})
