import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { underAnyPath } from '../../db/unit-path-sql'
import type { Actor } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { commandsPath, coversPath, type Scope } from '../../lib/scope'

/**
 * Scam reports carry who reported (a resident's name, phone, area): the officer of the reporter's
 * area and the commanders above it read and verify them (roles-and-data.md: residents' personal
 * data, own areas / subtree, audited). Nobody else on the staff side, not administrators. The
 * numbers themselves, once verified, are public, as counts only.
 */
const isStaff = (a: Actor | null): a is Actor => a?.kind === 'staff'
const staffOverArea = (a: Actor | null, areaPath: string) =>
  isStaff(a) && (coversPath(a, areaPath) || commandsPath(a, areaPath))
/** SQL twin of staffOverArea. */
const staffOverAreaSql = (s: Scope, areaPath: SQL | AnyColumn) =>
  s.isStaff ? underAnyPath(areaPath, [...s.coverPaths, ...s.commandPaths]) : sql`false`

export interface ScamReportResource {
  reporterId: string
  areaPath: string
  status: string
}

export const scamNumbersPolicy = definePolicy(
  {
    /** A signed-in resident reports a call they got (staff verify instead). */
    report: (a: Actor | null) => a?.kind === 'resident' && !!a.areaId,
    listOwn: (a: Actor | null) => a?.kind === 'resident',
    /** The verification queue exists for staff who cover or command areas. */
    queue: (a: Actor | null) =>
      isStaff(a) && (a.assignedAreas.length > 0 || a.grants.some((g) => g.role === 'commander')),
    read: (a: Actor | null, r: ScamReportResource) =>
      (!!a && a.userId === r.reporterId) || staffOverArea(a, r.areaPath),
    review: (a: Actor | null, r: ScamReportResource) =>
      staffOverArea(a, r.areaPath) && r.status === 'pending',
    /**
     * A scam warning from a verified number: staff who verified or may verify one of its reports.
     * The alerts module then decides for which unit they may issue it.
     */
    raiseAlert: (a: Actor | null, r: ScamReportResource & { numberVerified: boolean }) =>
      r.numberVerified && r.status === 'verified' && staffOverArea(a, r.areaPath),
  },
  {
    /** The queue: reports from the areas I cover or command. */
    read: (s: Scope, c: { areaPath: SQL | AnyColumn }) => staffOverAreaSql(s, c.areaPath),
  },
)
