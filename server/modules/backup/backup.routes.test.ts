import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestContext } from '../../test/test-app'
import { readControlToken } from './control-token'

let t: TestContext
const out = mkdtempSync(join(tmpdir(), 'nhipcau-backup-route-'))
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t.close()
  rmSync(out, { recursive: true, force: true })
})

const ask = (payload: unknown, token?: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({
    method: 'POST',
    url: '/internal/backup',
    remoteAddress,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload: payload as Record<string, unknown>,
  })

describe('POST /internal/backup (what `nhipcau backup` asks a running server)', () => {
  it('answers only a loopback caller holding the data folder’s control token', async () => {
    const token = readControlToken(t.config.DATA_DIR) as string
    expect(token).toHaveLength(43)
    expect(statSync(join(t.config.DATA_DIR, 'control-token')).mode & 0o777).toBe(0o600)
    const file = join(out, 'x.tar.gz')
    expect((await ask({ file })).statusCode).toBe(403)
    const wrong = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`
    expect((await ask({ file }, wrong)).statusCode).toBe(403)
    expect((await ask({ file }, token, '192.0.2.7')).statusCode).toBe(403)
    const relative = await ask({ file: 'x.tar.gz' }, token)
    expect(relative.statusCode).toBe(400)
    expect(relative.json().errors[0].field).toBe('file')
  })

  it('writes the archive, readable by its owner only, and is not in the API document', async () => {
    const token = readControlToken(t.config.DATA_DIR) as string
    const file = join(out, 'ok.tar.gz')
    const res = await ask({ file }, token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ file, database: { kind: t.database.kind } })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const doc = (await t.app.inject('/api/openapi.json')).json()
    expect(Object.keys(doc.paths)).not.toContain('/internal/backup')
  })
})
