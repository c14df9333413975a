import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { underAnyPath } from '../../db/unit-path-sql'
import type { Actor } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { commandsPath, coversPath, type Scope, under } from '../../lib/scope'

/**
 * Residence reports and the register are the most sensitive data here (roles-and-data.md): the
 * officer assigned to the area and the commanders above it; nobody else on the staff side — not a
 * ward officer of another area, not the neighbouring ward, not administrators (aggregates only).
 * A resident sees the reports they sent.
 */
const isStaff = (a: Actor | null): a is Actor => a?.kind === 'staff'
const staffOverArea = (a: Actor | null, areaPath: string) =>
  isStaff(a) && (coversPath(a, areaPath) || commandsPath(a, areaPath))
/** SQL twin of staffOverArea. */
const staffOverAreaSql = (s: Scope, areaPath: SQL | AnyColumn) =>
  s.isStaff ? underAnyPath(areaPath, [...s.coverPaths, ...s.commandPaths]) : sql`false`

/** Where a resident may report, from their home and their landlords' or businesses' groups. */
export interface ReporterResource {
  kind: 'stay' | 'tenant_in' | 'tenant_out' | 'absence' | 'guest'
  area: { id: string; path: string }
  homeAreaId: string | null
  landlordPaths: readonly string[]
  businessPaths: readonly string[]
}

export interface ReportResource {
  reporterId: string
  areaPath: string
  status: string
}

export const movementsPolicy = definePolicy(
  {
    /**
     * A household reports stays and absences at home; a landlord (member of a landlords' group
     * over the area) its tenants; a hotel or guest house (member of a security-and-order
     * businesses' group) its guests. Staff record in the register instead.
     */
    submit: (a: Actor | null, r: ReporterResource) => {
      if (a?.kind !== 'resident') return false
      if (r.kind === 'stay' || r.kind === 'absence') return r.homeAreaId === r.area.id
      if (r.kind === 'guest') return under(r.area.path, r.businessPaths)
      return under(r.area.path, r.landlordPaths)
    },
    listOwn: (a: Actor | null) => a?.kind === 'resident',
    read: (a: Actor | null, r: ReportResource) =>
      (!!a && a.userId === r.reporterId) || staffOverArea(a, r.areaPath),
    /** The reporter fixes a report the officer sent back. */
    correct: (a: Actor | null, r: ReportResource) =>
      !!a && a.userId === r.reporterId && r.status === 'needs_correction',
    /** Check, ask for a correction, confirm or reject. */
    review: (a: Actor | null, r: ReportResource) =>
      staffOverArea(a, r.areaPath) && (r.status === 'pending' || r.status === 'needs_correction'),
    /** The verification queue and the register exist for staff who cover or command areas. */
    queue: (a: Actor | null) =>
      isStaff(a) && (a.assignedAreas.length > 0 || a.grants.some((g) => g.role === 'commander')),
    readRegister: (a: Actor | null, area: { path: string }) => staffOverArea(a, area.path),
    writeRegister: (a: Actor | null, area: { path: string }) => staffOverArea(a, area.path),
    /** Counts per area (reports this week, pending, overdue): no names, same areas as the register. */
    readCounts: (a: Actor | null, area: { path: string }) => staffOverArea(a, area.path),
  },
  {
    /** The verification queue: reports of the areas I cover or command. */
    review: (s: Scope, c: { areaPath: SQL | AnyColumn }) => staffOverAreaSql(s, c.areaPath),
    /** The register's households, people and expiring stays. */
    readRegister: (s: Scope, c: { areaPath: SQL | AnyColumn }) => staffOverAreaSql(s, c.areaPath),
    /** The areas whose counts a commander (unit subtree) or officer (own areas) sees. */
    readCounts: (s: Scope, c: { areaPath: SQL | AnyColumn }) => staffOverAreaSql(s, c.areaPath),
  },
)

export const reportActions = ['review'] as const
