import { randomUUID } from 'node:crypto'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import {
  buildArea,
  buildCommander,
  buildGroup,
  buildOfficer,
  buildProvince,
  buildResident,
  buildWard,
  citizenIdNumber,
} from '../../test/factories/index'
import type { TestContext } from '../../test/test-app'

/** A home ward with two areas and a landlord, and a neighbouring ward with its own staff. */
export async function buildMovementsWorld(t: TestContext) {
  const province = await buildProvince(t.db)
  const ward = await buildWard(t.db, { parent: province })
  const area = await buildArea(t.db, { parent: ward })
  const otherArea = await buildArea(t.db, { parent: ward })
  const neighbourWard = await buildWard(t.db, { parent: province })
  const neighbourArea = await buildArea(t.db, { parent: neighbourWard })
  const officer = (await buildOfficer(t.db, { unit: ward, areas: [area] })).user
  const otherOfficer = (await buildOfficer(t.db, { unit: ward, areas: [otherArea] })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const neighbourOfficer = (await buildOfficer(t.db, { unit: neighbourWard, areas: [neighbourArea] })).user
  const neighbourCommander = (await buildCommander(t.db, { unit: neighbourWard })).user
  const resident = await buildResident(t.db, { area, address: 'Số 12 ngõ 5 phố Lò Đúc' })
  const landlord = await buildResident(t.db, { area: otherArea })
  await buildGroup(t.db, { unit: ward, owner: commander, members: [landlord], kind: 'landlords' })
  return {
    ward,
    area,
    otherArea,
    neighbourWard,
    neighbourArea,
    users: { officer, otherOfficer, commander, neighbourOfficer, neighbourCommander, resident, landlord },
  }
}
export type MovementsWorld = Awaited<ReturnType<typeof buildMovementsWorld>>

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies freely and assert their shape
type Json = any

/** Calls the API as a user; JSON in, status and JSON out. */
export function caller(t: TestContext) {
  const sessions = new Map<string, TestSession>()
  return async (
    user: { id: string; kind: 'resident' | 'staff' },
    method: string,
    url: string,
    payload?: unknown,
  ) => {
    let s = sessions.get(user.id)
    if (!s) {
      s = await signInAs(t.app, user)
      sessions.set(user.id, s)
    }
    const res = await t.app.inject({
      method: method as 'GET',
      url,
      headers: s.headers,
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    })
    return { status: res.statusCode, body: res.body ? (res.json() as Json) : null }
  }
}

export const tenantReport = (areaId: string, over: Record<string, unknown> = {}) => ({
  kind: 'tenant_in',
  clientKey: `t-${randomUUID()}`,
  areaId,
  address: 'Phòng 203, số 41 phố Huế',
  person: { fullName: 'Đặng Thị Thu', idKind: 'citizen_id', idNumber: citizenIdNumber() },
  fromDate: '2026-12-01',
  toDate: '2027-05-31',
  ...over,
})

export const stayReport = (over: Record<string, unknown> = {}) => ({
  kind: 'stay',
  clientKey: `s-${randomUUID()}`,
  person: { fullName: 'Nguyễn Văn Khách', idKind: 'citizen_id', idNumber: citizenIdNumber() },
  relation: 'sibling',
  fromDate: '2026-12-04',
  toDate: '2026-12-07',
  arrivalTime: '19:00',
  ...over,
})

/** A multipart/form-data body as a browser sends it: text fields, then one file part. */
export function multipartBody(
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----nhipcau${randomUUID().replace(/-/g, '')}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    )
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}
