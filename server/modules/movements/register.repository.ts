import { foldVietnamese } from '@common/text/fold'
import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { registerEvents, registerHouseholds, registerPeople, units, users } from '../../db/schema/index'
import type { Scope } from '../../lib/scope'
import { movementsPolicy } from './movements.policy'

export type HouseholdRow = typeof registerHouseholds.$inferSelect
export type PersonRow = typeof registerPeople.$inferSelect
export type RegisterChange = (typeof registerEvents.$inferInsert)['change']

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim()
/** One household per address: "Số 12, ngõ 5 Lò Đúc" and "số 12,  Ngõ 5 lò đúc" are the same place. */
export const addressKeyOf = (address: string) => collapse(foldVietnamese(address))
export const searchTextOf = (p: { fullName: string; idNumber: string }, address: string) =>
  collapse(`${foldVietnamese(p.fullName)} ${p.idNumber.toLowerCase()} ${foldVietnamese(address)}`)
/** A search term for `like`, with its wildcards escaped. */
export const searchPattern = (q: string) =>
  `%${collapse(foldVietnamese(q)).replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export interface HouseholdPageRow {
  household: HouseholdRow
  areaName: string
}

/** A province commander's export is cut here; the audit row says how many left. */
export const EXPORT_MAX_ROWS = 200_000

const p = registerPeople
const h = registerHouseholds

export const registerRepository = {
  async household(db: DbOrTx, area: { id: string; path: string }, address: string): Promise<HouseholdRow> {
    const [row] = await db
      .insert(h)
      .values({
        areaId: area.id,
        areaPath: area.path,
        address: collapse(address),
        addressKey: addressKeyOf(address),
      })
      .onConflictDoUpdate({ target: [h.areaId, h.addressKey], set: { updatedAt: sql`now()` } })
      .returning()
    return row!
  },

  /** The person still on the register at this address with this ID (not left). */
  async activePerson(db: DbOrTx, householdId: string, idNumber: string): Promise<PersonRow | undefined> {
    const [row] = await db
      .select()
      .from(p)
      .where(and(eq(p.householdId, householdId), eq(p.idNumber, idNumber), isNull(p.endedOn)))
    return row
  },

  async insertPerson(db: DbOrTx, values: typeof p.$inferInsert): Promise<PersonRow> {
    const [row] = await db.insert(p).values(values).returning()
    return row!
  },

  async updatePerson(db: DbOrTx, id: string, values: Partial<typeof p.$inferInsert>): Promise<PersonRow> {
    const [row] = await db
      .update(p)
      .set({ ...values, updatedAt: sql`now()` })
      .where(eq(p.id, id))
      .returning()
    return row!
  },

  async insertEvent(db: DbOrTx, values: typeof registerEvents.$inferInsert): Promise<void> {
    await db.insert(registerEvents).values(values)
  },

  /**
   * A page of households in the scope, by address; with `q`, those where a person's name, ID
   * number or the address matches (diacritics optional: both sides are folded).
   */
  async households(
    db: DbOrTx,
    scope: Scope,
    q: {
      areaId?: string | undefined
      q?: string | undefined
      after?: [string, string] | undefined
      limit: number
    },
  ): Promise<HouseholdPageRow[]> {
    const inScope = movementsPolicy.scopes.readRegister(scope, { areaPath: h.areaPath })
    const matching = q.q
      ? sql`${h.id} in (select ${p.householdId} from ${p} where ${p.searchText} like ${searchPattern(q.q)}
          and ${movementsPolicy.scopes.readRegister(scope, { areaPath: p.areaPath })})`
      : undefined
    return db
      .select({ household: h, areaName: units.name })
      .from(h)
      .innerJoin(units, eq(units.id, h.areaId))
      .where(
        and(
          inScope,
          q.areaId ? eq(h.areaId, q.areaId) : undefined,
          matching,
          q.after ? sql`(${h.addressKey}, ${h.id}) > (${q.after[0]}, ${q.after[1]}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(h.addressKey), asc(h.id))
      .limit(q.limit)
  },

  /** The people of the households; those who left before `today` only with `includeLeft`. */
  async peopleOf(
    db: DbOrTx,
    householdIds: string[],
    includeLeft: boolean,
    today: string,
  ): Promise<PersonRow[]> {
    if (!householdIds.length) return []
    return db
      .select()
      .from(p)
      .where(
        and(
          sql`${p.householdId} in (${sql.join(
            householdIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
          includeLeft ? undefined : sql`(${p.endedOn} is null or ${p.endedOn} > ${today})`,
        ),
      )
      .orderBy(asc(p.residence), asc(p.fullName))
  },

  async person(db: DbOrTx, id: string) {
    const [row] = await db
      .select({ person: p, household: h, areaName: units.name })
      .from(p)
      .innerJoin(h, eq(h.id, p.householdId))
      .innerJoin(units, eq(units.id, p.areaId))
      .where(eq(p.id, id))
    return row
  },

  async history(db: DbOrTx, personId: string) {
    return db
      .select({ event: registerEvents, actorName: users.displayName })
      .from(registerEvents)
      .leftJoin(users, eq(users.id, registerEvents.actorId))
      .where(eq(registerEvents.personId, personId))
      .orderBy(asc(registerEvents.at))
  },

  /**
   * Everyone on the register in the scope (one area, or all the caller's), for the CSV export:
   * by area, address, then name; those who left before `today` only with `includeLeft`.
   */
  async exportRows(
    db: DbOrTx,
    scope: Scope,
    q: { areaId?: string | undefined; includeLeft: boolean; today: string },
  ) {
    return peopleWithAddress(
      db,
      scope,
      q.areaId,
      q.includeLeft ? undefined : sql`(${p.endedOn} is null or ${p.endedOn} > ${q.today})`,
    )
      .orderBy(asc(units.name), asc(h.addressKey), asc(p.residence), asc(p.fullName), asc(p.id))
      .limit(EXPORT_MAX_ROWS)
  },

  /** Temporary residents and guests whose stay ends between two dates (inclusive), soonest first. */
  async expiring(db: DbOrTx, scope: Scope, from: string, to: string, areaId?: string) {
    return peopleWithAddress(
      db,
      scope,
      areaId,
      isNull(p.endedOn),
      sql`${p.residence} <> 'permanent' and ${p.untilDate} between ${from} and ${to}`,
    )
      .orderBy(asc(p.untilDate), asc(p.fullName))
      .limit(500)
  },
}

/** People on the register in the caller's scope (and one area if given), with their address and area. */
function peopleWithAddress(
  db: DbOrTx,
  scope: Scope,
  areaId: string | undefined,
  ...filters: (SQL | undefined)[]
) {
  return db
    .select({ person: p, address: h.address, areaName: units.name })
    .from(p)
    .innerJoin(h, eq(h.id, p.householdId))
    .innerJoin(units, eq(units.id, p.areaId))
    .where(
      and(
        movementsPolicy.scopes.readRegister(scope, { areaPath: p.areaPath }),
        areaId ? eq(p.areaId, areaId) : undefined,
        ...filters,
      ),
    )
}
