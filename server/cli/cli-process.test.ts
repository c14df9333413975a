import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The real `nhipcau` process (tsx, a new embedded database): in `npm run test:slow`, since four
// cold starts of the command take most of a minute on a busy 2-core machine. The commands' logic
// is tested in-process in cli.test.ts.
describe('the nhipcau command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nc-cli-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))
  // The embedded database, whatever the suite runs on: this checks the command, not the backend.
  const { DATABASE_URL: _ignored, ...env } = process.env
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', ...args], {
      encoding: 'utf8',
      env: { ...env, DATA_DIR: dataDir, DOTENV_CONFIG_PATH: '/dev/null' },
    })

  it('has help for each command and migrates the embedded database', () => {
    for (const command of ['migrate', 'seed', 'create-admin']) {
      const help = cli(command, '--help')
      expect(help.status).toBe(0)
      expect(help.stdout).toContain(`Usage: nhipcau ${command}`)
    }
    const migrate = cli('migrate')
    expect(migrate.stderr).toBe('')
    expect(migrate.stdout).toMatch(
      /^migrate: (\d+) of \1 migrations applied; the database is current \(pglite\)/,
    )
    // Four processes, one of them creating a database: slow on a busy 2-core machine.
  }, 180_000)
})
