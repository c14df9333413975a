import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'

/** Public staff data only: staff with an active officer or commander grant, never residents. */
export interface PublicStaffRow extends Record<string, unknown> {
  id: string
  display_name: string
  full_name: string | null
  rank: string | null
  title: string | null
  photo_url: string | null
  official_phone: string | null
  role: 'officer' | 'commander'
  unit_slug: string
  unit_name: string
}

const staffSelect = sql`select distinct on (u.id) u.id, u.display_name, u.full_name, u.rank, u.title, u.photo_url,
    u.official_phone, g.role, gu.slug as unit_slug, gu.name as unit_name
  from users u
  join role_grants g on g.user_id = u.id and g.revoked_at is null and g.role in ('officer', 'commander')
  join units gu on gu.id = g.unit_id
  where u.kind = 'staff' and u.deleted_at is null`

/** Escapes LIKE wildcards so a query of "50%" means the characters, not a pattern. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Digits and "+" only: official numbers typed with spaces or dots still match their +84… form. */
const phoneDigits = (column: string) => sql.raw(`regexp_replace(coalesce(${column}, ''), '[^0-9+]', '', 'g')`)

export const directoryRepository = {
  /** Staff whose grant is on exactly this unit, with a given role. */
  staffOfUnit: (db: DbOrTx, unitId: string, role: 'officer' | 'commander') =>
    queryRows<PublicStaffRow>(
      db,
      sql`${staffSelect} and g.unit_id = ${unitId} and g.role = ${role}
          order by u.id, g.role`,
    ),

  /** Staff currently assigned to the unit's own areas (officers without a grant on the unit itself too). */
  assignedInUnit: (db: DbOrTx, unitId: string) =>
    queryRows<PublicStaffRow & { area_id: string; area_slug: string; area_name: string }>(
      db,
      sql`select u.id, u.display_name, u.full_name, u.rank, u.title, u.photo_url, u.official_phone,
                 'officer' as role, p.slug as unit_slug, p.name as unit_name,
                 a.id as area_id, a.slug as area_slug, a.name as area_name
            from area_assignments aa
            join units a on a.id = aa.area_id
            left join units p on p.id = a.parent_id
            join users u on u.id = aa.officer_id
           where a.parent_id = ${unitId} and u.kind = 'staff' and u.deleted_at is null
             and aa.starts_at <= now() and (aa.ends_at is null or aa.ends_at > now())
           order by a.name`,
    ),

  /** Officers and commanders by name, with or without diacritics. */
  searchStaff: (db: DbOrTx, folded: string, limit: number) =>
    queryRows<PublicStaffRow>(
      db,
      sql`select * from (${staffSelect}
            and (lower(f_unaccent(u.display_name)) like ${`%${likeEscape(folded)}%`}
              or lower(f_unaccent(coalesce(u.full_name, ''))) like ${`%${likeEscape(folded)}%`})
            order by u.id, case g.role when 'commander' then 0 else 1 end) s
          order by coalesce(full_name, display_name) limit ${limit}`,
    ),

  /** Units (communes, areas…) by name or address/streets, with or without diacritics. */
  searchUnits: (db: DbOrTx, folded: string, limit: number) =>
    queryRows<{ id: string }>(
      db,
      sql`select id from units
           where lower(f_unaccent(name)) like ${`%${likeEscape(folded)}%`}
              or lower(f_unaccent(coalesce(address, ''))) like ${`%${likeEscape(folded)}%`}
           order by case when lower(f_unaccent(name)) like ${`%${likeEscape(folded)}%`} then 0 else 1 end,
                    length(path), name
           limit ${limit}`,
    ),

  /** The staff member whose official phone is this number (+84… form). */
  staffByPhone: (db: DbOrTx, e164: string) =>
    queryRows<PublicStaffRow>(
      db,
      sql`${staffSelect} and ${phoneDigits('u.official_phone')} = ${e164} order by u.id limit 1`,
    ),

  /** A unit (ward station, provincial police) whose published phone is this number. */
  unitByPhone: (db: DbOrTx, e164: string) =>
    queryRows<{ slug: string; name: string }>(
      db,
      sql`select slug, name from units where ${phoneDigits('phone')} = ${e164} order by length(path) desc limit 1`,
    ),
}
