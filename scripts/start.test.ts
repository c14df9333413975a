import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '..')
const dataDir = mkdtempSync(join(tmpdir(), 'nc-start-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const { DATABASE_URL: _url, ...env } = process.env
const start = (vars: Record<string, string>) =>
  spawnSync(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...env, DOTENV_CONFIG_PATH: '/dev/null', DATA_DIR: dataDir, ...vars },
  })

describe('npm start with a bad setting', () => {
  it('stops before doing anything, with one line naming PORT and what it expects', () => {
    const res = start({ PORT: 'abc' })
    expect(res.status).toBe(78)
    expect(res.stdout).toBe('')
    expect(res.stderr).toBe('nhipcau: Invalid PORT="abc": expected a whole number between 1 and 65535\n')
  })

  it('names each bad variable on its own line', () => {
    const res = start({ PORT: '70000', DATABASE_URL: 'mysql://x' })
    expect(res.status).toBe(78)
    const lines = res.stderr.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines.join('\n')).toMatch(/PORT="70000"/)
    expect(lines.join('\n')).toMatch(
      /DATABASE_URL="mysql:\/\/x": expected a postgres:\/\/ or postgresql:\/\/ URL/,
    )
  })

  it('requires SESSION_SECRET in production', () => {
    const res = start({ NODE_ENV: 'production' })
    expect(res.status).toBe(78)
    expect(res.stderr).toMatch(/^nhipcau: Missing SESSION_SECRET/)
  })
})
