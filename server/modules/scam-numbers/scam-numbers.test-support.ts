import { randomUUID } from 'node:crypto'
import type { App } from '../../app'
import type { Db } from '../../db/client'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
} from '../../test/factories/index'

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read as JSON
export type Json = any

/** A province with a ward of two areas, their officer and commander, and a neighbouring ward. */
export async function buildScamWorld(db: Db) {
  const province = await buildProvince(db, { name: `Hà Nội ${randomUUID().slice(0, 6)}` })
  const ward = await buildWard(db, { parent: province })
  const area = await buildArea(db, { parent: ward })
  const otherArea = await buildArea(db, { parent: ward })
  const neighbourWard = await buildWard(db, { parent: province })
  const neighbourArea = await buildArea(db, { parent: neighbourWard })
  return {
    province,
    ward,
    area,
    otherArea,
    neighbourArea,
    resident: await buildResident(db, { area, fullName: 'Trần Thị Báo', displayName: 'Bà Báo' }),
    secondResident: await buildResident(db, { area: otherArea, fullName: 'Lê Văn Hai' }),
    officer: (await buildOfficer(db, { unit: ward, areas: [area] })).user,
    commander: (await buildCommander(db, { unit: ward })).user,
    officerNeighbour: (await buildOfficer(db, { unit: neighbourWard, areas: [neighbourArea] })).user,
  }
}

/** Calls as a user (signed in once per user) or anonymously from a given address. */
export function caller(app: App) {
  const sessions = new Map<string, TestSession>()
  return async (
    user: { id: string; kind: 'resident' | 'staff' } | null,
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    let s: TestSession | undefined
    if (user) {
      s = sessions.get(user.id)
      if (!s) {
        s = await signInAs(app, user)
        sessions.set(user.id, s)
      }
    }
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: { ...(s?.headers ?? {}), ...headers },
      // A new address per call: the per-IP limits of the public routes are not what is tested here.
      remoteAddress: `198.51.100.${Math.floor(Math.random() * 250) + 1}`,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    })
    const isJson = (res.headers['content-type'] ?? '').toString().includes('json')
    return {
      status: res.statusCode,
      headers: res.headers,
      text: res.body,
      body: (isJson && res.body ? res.json() : null) as Json,
    }
  }
}

/** A report as the web form sends it after "not an officer's number". */
export const scamReport = (phone: string, over: Record<string, unknown> = {}) => ({
  phone,
  claimedAs: 'police',
  calledAt: new Date(Date.now() - 10 * 60_000).toISOString(),
  amountVnd: 120_000_000,
  note: 'Nói tôi liên quan vụ rửa tiền, bắt chuyển vào tài khoản tạm giữ',
  clientKey: `k-${randomUUID()}`,
  ...over,
})
