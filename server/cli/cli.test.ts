import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../config'
import type { DatabaseHandle } from '../db/client'
import { queryRows } from '../db/query'
import { roleGrants, units, users } from '../db/schema/index'
import { verifyPassword } from '../lib/passwords'
import { buildWard } from '../test/factories/index'
import { testConfig } from '../test/test-config'
import { createTestDatabase } from '../test/test-database'
import { CliError } from './cli-error'
import { runCreateAdmin } from './create-admin.command'
import { runSeed } from './seed.command'

let handle: DatabaseHandle & { url?: string }
let config: Config
beforeAll(async () => {
  handle = await createTestDatabase()
  // The reset migrates again and takes its lock on this very database.
  config = testConfig(handle.url ? { DATABASE_URL: handle.url } : {})
})
afterAll(() => handle.close())

const unitNames = async () => (await handle.db.select({ name: units.name }).from(units)).map((u) => u.name)

describe('nhipcau seed', () => {
  it('seeds the demo ward into an empty database and refuses a second time without --reset', async () => {
    const result = await runSeed(handle, config, { reset: false })
    expect(await unitNames()).toEqual(
      expect.arrayContaining(['Thành phố Hà Nội', 'Phường Hai Bà Trưng', 'Tổ dân phố số 1']),
    )
    expect(result.signIns.join('\n')).toContain('chihuy')
    await expect(runSeed(handle, config, { reset: false })).rejects.toThrow(/already holds data.*--reset/)
  })

  it('--reset erases everything, then seeds the demo again', async () => {
    await buildWard(handle.db, { name: 'Phường Không Còn' })
    await runSeed(handle, config, { reset: true })
    const names = await unitNames()
    expect(names).not.toContain('Phường Không Còn')
    expect(names.filter((n) => n === 'Phường Hai Bà Trưng')).toHaveLength(1)
  })

  it('is refused in production', async () => {
    const production = { ...config, isProduction: true }
    await expect(runSeed(handle, production, { reset: true })).rejects.toThrow(CliError)
    expect(await unitNames()).toContain('Phường Hai Bà Trưng')
  })
})

describe('nhipcau create-admin', () => {
  it('creates an administrator over the whole tree whose password works, and records it in the audit log', async () => {
    const admin = await runCreateAdmin(handle.db, { username: 'it.admin', displayName: 'Quản trị tỉnh' })
    expect(admin.generatedPassword).toMatch(/^[\w-]{20}$/)
    const [user] = await handle.db.select().from(users).where(eq(users.id, admin.userId))
    expect(user).toMatchObject({ kind: 'staff', username: 'it.admin', displayName: 'Quản trị tỉnh' })
    expect(await verifyPassword(user!.passwordHash!, admin.generatedPassword!)).toBe(true)
    const grants = await handle.db
      .select()
      .from(roleGrants)
      .where(and(eq(roleGrants.userId, admin.userId), eq(roleGrants.role, 'admin')))
    expect(grants).toHaveLength(1)
    expect(grants[0]!.unitId).toBeNull()
    const logged = await queryRows<{ action: string }>(
      handle.db,
      sql`select action from audit_log where entity_id = ${admin.userId}`,
    )
    expect(logged.map((r) => r.action)).toEqual(['account.create'])
  })

  it('uses a given password and refuses a taken username or a short password', async () => {
    const admin = await runCreateAdmin(handle.db, {
      username: 'it.ops',
      displayName: 'Ops',
      password: 'mật-khẩu-đủ-dài',
    })
    expect(admin.generatedPassword).toBeNull()
    const [user] = await handle.db.select().from(users).where(eq(users.id, admin.userId))
    expect(await verifyPassword(user!.passwordHash!, 'mật-khẩu-đủ-dài')).toBe(true)
    await expect(runCreateAdmin(handle.db, { username: 'it.ops', displayName: 'Ops' })).rejects.toThrow(
      /already taken/,
    )
    await expect(
      runCreateAdmin(handle.db, { username: 'it.x', displayName: 'X', password: 'short' }),
    ).rejects.toThrow(/--password: expected at least 12 characters/)
    // The same rule as a staff member's own password change: common and guessable passwords are refused.
    for (const password of [
      'matkhau123456',
      'Anhyeuem@2024!',
      '123456789012',
      'it.weak.admin-2024',
      'aaaaaaaaaaaaaaaa',
    ])
      await expect(
        runCreateAdmin(handle.db, { username: 'it.weak.admin', displayName: 'X', password }),
      ).rejects.toThrow(/--password: too common/)
    expect(await handle.db.select().from(users).where(eq(users.username, 'it.weak.admin'))).toEqual([])
    await expect(runCreateAdmin(handle.db, { username: 'Không Hợp Lệ', displayName: 'X' })).rejects.toThrow(
      /--username/,
    )
  })
})
