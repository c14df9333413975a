// The province of bench/province.ts, seeded in bulk SQL: the tree as it is after the 1/7/2025 reform
// (province → commune level: phường and xã → tổ dân phố / thôn), residents with their area, the
// sessions of those who will connect, and a province commander. A few statements, not 500,000 calls.
import { randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../../server/db/client'
import { queryRows } from '../../server/db/query'
import { sha256 } from '../../server/modules/auth/auth.crypto'
import { CSRF_COOKIE, SESSION_COOKIE } from '../../server/modules/auth/session.cookies'
import { csrfTokenFor } from '../../server/modules/auth/session.service'
import { bulkInsert } from '../../server/seed/scale/bulk'

export interface ProvinceSize {
  residents: number
  /** Commune-level units (phường + xã + đặc khu). Hà Nội after the reform: 126 (51 phường, 75 xã). */
  units: number
  /** How many of those are phường (wards, with tổ dân phố); the rest are xã (communes, with thôn). */
  wards: number
  /** Mean number of residential groups per unit; each unit has 60–140 % of it. */
  areasPerUnit: number
  connected: number
  pushDevices: number
}

export interface SessionClient {
  userId: string
  areaId: string
  cookie: string
  csrf: string
}

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now()
  const value = await fn()
  return [value, Math.round(performance.now() - t0)]
}

/** Session rows written directly (token hash + CSRF bound to it, as startSession makes them). */
async function insertSessions(
  db: Db,
  secret: string,
  people: { userId: string; areaId: string }[],
  kind: 'resident' | 'staff',
): Promise<SessionClient[]> {
  const ttl = kind === 'resident' ? 30 * 24 * 3600_000 : 12 * 3600_000
  const expiresAt = new Date(Date.now() + ttl).toISOString()
  const made = people.map((p) => {
    const token = randomBytes(32).toString('base64url')
    const tokenHash = sha256(token)
    const csrf = csrfTokenFor({ SESSION_SECRET: secret }, tokenHash)
    return { ...p, token, tokenHash, csrf }
  })
  await bulkInsert(
    db,
    'sessions',
    { user_id: 'uuid', token_hash: 'text', expires_at: 'timestamptz', ip: 'text', user_agent: 'text' },
    made.map((m) => ({
      user_id: m.userId,
      token_hash: m.tokenHash,
      expires_at: expiresAt,
      ip: '127.0.0.1',
      user_agent: 'bench:province',
    })),
  )
  return made.map((m) => ({
    userId: m.userId,
    areaId: m.areaId,
    cookie: `${SESSION_COOKIE}=${m.token}; ${CSRF_COOKIE}=${m.csrf}`,
    csrf: m.csrf,
  }))
}

export async function seedProvince(db: Db, size: ProvinceSize, sessionSecret: string) {
  const provinceId = crypto.randomUUID()
  const provincePath = `/${provinceId}/`
  const [, unitsMs] = await timed(async () => {
    await db.execute(sql`insert into units (id, parent_id, path, level, kind, name, slug)
      values (${provinceId}, null, ${provincePath}, 'province', 'city', 'Thành phố Nhịp Cầu (bench)', 'bench-thanh-pho')`)
    await db.execute(sql`insert into units (id, parent_id, path, level, kind, name, slug)
      select id, ${provinceId}::uuid, ${provincePath} || id || '/', 'commune',
             case when g <= ${size.wards} then 'ward' else 'commune' end,
             case when g <= ${size.wards} then 'Phường Bench ' || g else 'Xã Bench ' || (g - ${size.wards}) end,
             'bench-' || case when g <= ${size.wards} then 'phuong-' || g else 'xa-' || (g - ${size.wards}) end
        from (select gen_random_uuid() as id, g from generate_series(1, ${size.units}) g) s`)
    // Tổ dân phố in a phường, thôn in a xã; 60–140 % of the mean per unit, fixed by the unit's number.
    await db.execute(sql`insert into units (id, parent_id, path, level, kind, name, slug)
      select a.id, c.id, c.path || a.id || '/', 'residential_group',
             case c.kind when 'ward' then 'residential_group' else 'village' end,
             case c.kind when 'ward' then 'Tổ dân phố số ' else 'Thôn ' end || a.k,
             c.slug || '-' || a.k
        from (select id, path, kind, slug, row_number() over (order by slug) as i
                from units where parent_id = ${provinceId}) c
        cross join lateral (
          select gen_random_uuid() as id, k
            from generate_series(1, greatest(2, round(${size.areasPerUnit} * (0.6 + 0.8 * ((c.i * 37) % 101) / 100.0))::int)) k
        ) a`)
  })
  const [counts] = await queryRows<{ units: number; areas: number }>(
    db,
    sql`select count(*) filter (where level = 'commune')::int as units,
               count(*) filter (where level = 'residential_group')::int as areas
          from units where path like ${`${provincePath}%`}`,
  )
  const areas = counts!.areas

  // Residents round-robin over the areas (so a bigger unit, with more groups, has more people).
  const [, residentsMs] = await timed(() =>
    db.execute(sql`with a as (
        select id, row_number() over (order by path) - 1 as n
          from units where level = 'residential_group' and path like ${`${provincePath}%`})
      insert into users (kind, display_name, phone, area_id)
      select 'resident', 'Cư dân ' || g, '+849' || lpad(g::text, 8, '0'), a.id
        from generate_series(1, ${size.residents}) g join a on a.n = g % ${areas}`),
  )

  // A commander of the province: publishes province-wide without waiting for anyone's approval.
  const [commander] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (kind, display_name, full_name, rank, title, username)
        values ('staff', 'Đại tá Bench', 'Nguyễn Văn Bench', 'Đại tá', 'Giám đốc Công an thành phố', 'chihuy.bench')
        returning id`,
  )
  await db.execute(
    sql`insert into role_grants (user_id, role, unit_id) values (${commander!.id}, 'commander', ${provinceId})`,
  )

  // Who connects and who has a push subscription: a fixed pseudo-random draw over every area.
  const drawn = await queryRows<{ id: string; area_id: string }>(
    db,
    sql`select id, area_id from users
         where kind = 'resident' and phone like '+849%'
         order by md5(id::text) limit ${size.connected + size.pushDevices}`,
  )
  const online = drawn.slice(0, size.connected).map((r) => ({ userId: r.id, areaId: r.area_id }))
  const pushUserIds = drawn.slice(size.connected).map((r) => r.id)
  const [clients, sessionsMs] = await timed(() => insertSessions(db, sessionSecret, online, 'resident'))
  const [commanderSession] = await insertSessions(
    db,
    sessionSecret,
    [{ userId: commander!.id, areaId: provinceId }],
    'staff',
  )
  // Fresh tables: the planner's statistics as autovacuum would have them after a while.
  const [, analyzeMs] = await timed(() => db.execute(sql`analyze`))
  return {
    provinceId,
    units: counts!.units,
    areas,
    clients,
    pushUserIds,
    commander: commanderSession!,
    timings: { unitsMs, residentsMs, sessionsMs, analyzeMs },
  }
}

/** The push subscriptions of residents who are not connected, one device each. */
export async function insertPushSubscriptions(
  db: Db,
  userIds: string[],
  devices: { endpoint: string; keys: { p256dh: string; auth: string } }[],
): Promise<void> {
  await bulkInsert(
    db,
    'push_subscriptions',
    { user_id: 'uuid', endpoint: 'text', p256dh: 'text', auth: 'text' },
    userIds.map((userId, i) => ({
      user_id: userId,
      endpoint: devices[i]!.endpoint,
      p256dh: devices[i]!.keys.p256dh,
      auth: devices[i]!.keys.auth,
    })),
  )
}
