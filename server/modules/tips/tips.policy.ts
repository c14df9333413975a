import { type SQL, sql } from 'drizzle-orm'
import { type AreaRecordColumns, dutyQueueSql, worksAreaSql } from '../../db/unit-path-sql'
import { type Actor, commandsPath, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { officerOverPath, type Scope, staffOverUnit, worksArea } from '../../lib/scope'

/** What a tip rule decides on. */
export interface TipResource {
  areaPath: string
  assigneeId: string | null
  submitterId: string | null
}

/** What a case rule decides on. */
export interface CaseResource {
  areaPath: string
  assigneeId: string | null
}

/** A request for help: its case, and whether the caller is in its audience (member of a group, resident of an area). */
export interface HelpRequestResource {
  case: CaseResource
  isAudience: boolean
  /** The caller answered it: they keep reading it (their answer, the thank-you) after leaving its audience. */
  isResponder: boolean
  isOpen: boolean
}

const isStaff = (a: Actor | null): a is Actor => a?.kind === 'staff'

/** The area's officer, a commander above it, or the assignee while they hold a grant over the area. */
const staffOverArea = (a: Actor | null, r: { areaPath: string; assigneeId: string | null }) => worksArea(a, r)

/** An officer of the unit above the area: they take the unit's duty queue when no one is assigned. */
const unitOfficer = (a: Actor | null, areaPath: string) => isStaff(a) && officerOverPath(a, areaPath)

const staffOnTip = (a: Actor | null, t: TipResource) =>
  staffOverArea(a, t) || (t.assigneeId === null && unitOfficer(a, t.areaPath))

/** Columns of a tip in a list query. */
export interface TipColumns extends AreaRecordColumns {
  submitterId: SQL
}

export const tipsPolicy = definePolicy(
  {
    /** Residents and the public send tips; staff do not (roles-and-data.md). */
    submit: (a: Actor | null) => !a || a.kind === 'resident',
    readOwn: (a: Actor | null, t: TipResource) => !!a && t.submitterId !== null && t.submitterId === a.userId,
    read: (a: Actor | null, t: TipResource) => (!!a && t.submitterId === a.userId) || staffOnTip(a, t),
    /** Reply, change status, open a case from it. */
    work: staffOnTip,
    /** Read the sender's name and phone (audited). */
    readSender: staffOnTip,
    /** The staff triage list: officers and commanders. */
    triage: (a: Actor | null) =>
      isStaff(a) &&
      (a.assignedAreas.length > 0 || a.grants.some((g) => g.role === 'officer' || g.role === 'commander')),
    listOwn: (a: Actor | null) => a?.kind === 'resident',
    /** Quarantine as spam (files' bytes deleted): administrators, and commanders of the unit above it. */
    quarantine: (a: Actor | null, t: TipResource) =>
      isAdmin(a) || (isStaff(a) && commandsPath(a, t.areaPath)),
  },
  {
    /** The SQL twin of `read`: my own tips, the areas I work, my unit's unassigned duty queue. */
    read: (s: Scope, c: TipColumns) =>
      sql`(${c.submitterId} = ${s.userId} or ${worksAreaSql(s, c)} or ${dutyQueueSql(s, c)})`,
  },
)

export const casesPolicy = definePolicy(
  {
    /** Open a case in an area: its officer, officers of the unit above, commanders above. */
    create: (a: Actor | null, area: { path: string }) => staffOverUnit(a, area.path),
    read: staffOverArea,
    work: staffOverArea,
    export: staffOverArea,
    list: (a: Actor | null) => tipsPolicy.can(a, 'triage'),
    /** Publish a request for help to an area's residents. */
    publishToArea: (a: Actor | null, area: { path: string }) => staffOverUnit(a, area.path),
  },
  {
    /** The SQL twin of `read`. */
    read: (s: Scope, c: AreaRecordColumns) => worksAreaSql(s, c),
  },
)

export const helpPolicy = definePolicy({
  read: (a: Actor | null, h: HelpRequestResource) =>
    (!!a && (h.isAudience || h.isResponder)) || staffOverArea(a, h.case),
  respond: (a: Actor | null, h: HelpRequestResource) =>
    !!a && a.kind === 'resident' && h.isAudience && h.isOpen,
  /** See every answer and who gave it: the case's officers and commanders only. */
  readResponders: (a: Actor | null, h: HelpRequestResource) => staffOverArea(a, h.case),
  listMine: (a: Actor | null) => a?.kind === 'resident',
})

export const tipActions = ['work', 'readSender', 'quarantine'] as const
export const caseActions = ['work', 'export'] as const
