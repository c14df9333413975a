import { and, desc, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { areaAssignments, users } from '../../db/schema/index'
import { pathUnder, staffOver } from '../../db/unit-path-sql'
import type { OfficerRow } from './organisation.presenter'

export type AssignmentRow = typeof areaAssignments.$inferSelect & { officer: OfficerRow }

const officerColumns = {
  id: users.id,
  displayName: users.displayName,
  fullName: users.fullName,
  rank: users.rank,
  title: users.title,
  officialPhone: users.officialPhone,
  photoUrl: users.photoUrl,
}

/** Started and not yet ended at `at`. */
const activeAt = (at: Date) =>
  and(lte(areaAssignments.startsAt, at), or(isNull(areaAssignments.endsAt), gt(areaAssignments.endsAt, at)))

export const assignmentsRepository = {
  /** The officer answering for each area at `at` (one per area; the latest start wins if data ever overlaps). */
  async currentOfficers(db: DbOrTx, areaIds: string[], at = new Date()): Promise<Map<string, OfficerRow>> {
    if (!areaIds.length) return new Map()
    const rows = await db
      .select({ areaId: areaAssignments.areaId, startsAt: areaAssignments.startsAt, officer: officerColumns })
      .from(areaAssignments)
      .innerJoin(users, eq(users.id, areaAssignments.officerId))
      .where(and(inArray(areaAssignments.areaId, areaIds), activeAt(at), isNull(users.deletedAt)))
      .orderBy(desc(areaAssignments.startsAt))
    const map = new Map<string, OfficerRow>()
    for (const r of rows) if (!map.has(r.areaId)) map.set(r.areaId, r.officer)
    return map
  },

  /** The area's assignments, newest first, with their officers. */
  async listForArea(db: DbOrTx, areaId: string): Promise<AssignmentRow[]> {
    const rows = await db
      .select({ a: areaAssignments, officer: officerColumns })
      .from(areaAssignments)
      .innerJoin(users, eq(users.id, areaAssignments.officerId))
      .where(eq(areaAssignments.areaId, areaId))
      .orderBy(desc(areaAssignments.startsAt), desc(areaAssignments.createdAt))
    return rows.map((r) => ({ ...r.a, officer: r.officer }))
  },

  /** Assignments of the area still open at `at` or starting later: the ones a new assignment must not overlap. */
  openFrom(db: DbOrTx, areaId: string, at: Date) {
    return db
      .select()
      .from(areaAssignments)
      .where(
        and(
          eq(areaAssignments.areaId, areaId),
          or(isNull(areaAssignments.endsAt), gt(areaAssignments.endsAt, at)),
        ),
      )
  },

  async findInArea(db: DbOrTx, areaId: string, id: string) {
    const [row] = await db
      .select()
      .from(areaAssignments)
      .where(and(eq(areaAssignments.id, id), eq(areaAssignments.areaId, areaId)))
    return row
  },

  async insert(db: DbOrTx, values: typeof areaAssignments.$inferInsert) {
    const [row] = await db.insert(areaAssignments).values(values).returning()
    return row!
  },

  async setEnd(db: DbOrTx, id: string, endsAt: Date) {
    await db.update(areaAssignments).set({ endsAt }).where(eq(areaAssignments.id, id))
  },

  /** A staff member with an active officer grant on a unit whose subtree holds `path`. */
  async findOfficerFor(db: DbOrTx, officerId: string, path: string): Promise<OfficerRow | undefined> {
    const [row] = await db
      .select(officerColumns)
      .from(users)
      .where(and(eq(users.id, officerId), sql`${users.id} in ${staffOver(path, ['officer'])}`))
      .limit(1)
    return row
  },

  /**
   * Staff with an active officer or commander grant on a unit inside the subtree at `path`, with the
   * areas they answer for now. Commanders first, then by name.
   */
  async officersOfSubtree(db: DbOrTx, path: string) {
    return queryRows<{
      id: string
      display_name: string
      full_name: string | null
      rank: string | null
      title: string | null
      official_phone: string | null
      photo_url: string | null
      role: 'officer' | 'commander'
      unit_id: string
      unit_name: string
      areas: { id: string; name: string; slug: string }[] | null
    }>(
      db,
      sql`select u.id, u.display_name, u.full_name, u.rank, u.title, u.official_phone, u.photo_url,
            g.role, gu.id as unit_id, gu.name as unit_name,
            (select json_agg(json_build_object('id', a.id, 'name', a.name, 'slug', a.slug) order by a.name)
               from area_assignments aa join units a on a.id = aa.area_id
              where aa.officer_id = u.id and aa.starts_at <= now() and (aa.ends_at is null or aa.ends_at > now())
                and ${pathUnder(sql`a.path`, path)}) as areas
          from role_grants g
          join users u on u.id = g.user_id
          join units gu on gu.id = g.unit_id
         where g.role in ('officer', 'commander') and g.revoked_at is null
           and u.deleted_at is null and u.kind = 'staff'
           and ${pathUnder(sql`gu.path`, path)}
         order by case g.role when 'commander' then 0 else 1 end, coalesce(u.full_name, u.display_name)`,
    )
  },
}
