import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { pathIn, underAnyPath } from '../../db/unit-path-sql'
import { type Actor, commandsPath, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import type { Scope } from '../../lib/scope'

/** What a rule needs to know about an alert. */
export interface AlertResource {
  state: string
  capScope: string
  authorId: string
  issuingUnitPath: string
  /** Paths of the units it is addressed to. */
  targetPaths: string[]
  /** Where approval is decided: the issuing unit, or the province for a province-wide alert. */
  approvalPath: string
  /** The caller is one of its recipients. */
  isRecipient: boolean
}

/** Officer of exactly this unit (the grant's unit). */
export const isOfficerOfUnit = (actor: Actor | null, unitId: string) =>
  !!actor?.grants.some((g) => g.role === 'officer' && g.unitId === unitId)

const isOfficerOfPath = (actor: Actor | null, path: string) =>
  !!actor?.grants.some((g) => g.role === 'officer' && g.unitPath !== null && g.unitPath === path)

/** Staff who work the alert: its issuing unit's officers, and commanders above that unit. */
const works = (actor: Actor | null, a: AlertResource) =>
  !!actor && (isOfficerOfPath(actor, a.issuingUnitPath) || commandsPath(actor, a.issuingUnitPath))

/** The caller's officer or commander grant through which the alert reached them, if any. */
export const addressedGrantOf = (actor: Actor | null, a: AlertResource) =>
  actor?.grants.find(
    (g) =>
      (g.role === 'officer' || g.role === 'commander') &&
      g.unitPath !== null &&
      a.targetPaths.some((p) => p.startsWith(g.unitPath!) || g.unitPath!.startsWith(p)),
  )

/** Staff of a unit it was addressed to (a neighbouring ward sees what was shared with it). */
const addressedToStaffOf = (actor: Actor | null, a: AlertResource) => !!addressedGrantOf(actor, a)

const isPublished = (a: AlertResource) =>
  a.state === 'active' || a.state === 'closed' || a.state === 'cancelled'

export const alertsPolicy = definePolicy(
  {
    /** Compose for a unit: its officers and commanders above it. */
    create: (actor, unit: { id: string; path: string }) =>
      !!actor && (isOfficerOfUnit(actor, unit.id) || commandsPath(actor, unit.path)),
    /** Anyone may read a published public alert; residents in scope the restricted ones; staff theirs. */
    read: (actor, a: AlertResource) =>
      (isPublished(a) && a.capScope === 'Public') ||
      (isPublished(a) && a.isRecipient) ||
      works(actor, a) ||
      (isPublished(a) && addressedToStaffOf(actor, a)),
    /**
     * Reach counters, versions, and answers: the staff who work it read every answer; staff of a
     * unit it was addressed to read only their own residents' answers (security review F1).
     */
    readStaff: (actor, a: AlertResource) =>
      works(actor, a) || (isPublished(a) && addressedToStaffOf(actor, a)),
    /** Every answer, whoever wrote it: the issuing unit's officers and the commanders above it. */
    readAllAnswers: (actor, a: AlertResource) => works(actor, a),
    editDraft: (actor, a: AlertResource) =>
      (a.state === 'draft' || a.state === 'rejected') && (actor?.userId === a.authorId || works(actor, a)),
    submit: (actor, a: AlertResource) =>
      (a.state === 'draft' || a.state === 'rejected') && (actor?.userId === a.authorId || works(actor, a)),
    approve: (actor, a: AlertResource) =>
      a.state === 'pending_approval' && commandsPath(actor, a.approvalPath),
    reject: (actor, a: AlertResource) =>
      a.state === 'pending_approval' && commandsPath(actor, a.approvalPath),
    /** Update, close or cancel a live alert. */
    manage: (actor, a: AlertResource) => a.state === 'active' && works(actor, a),
    /** Photos while it is being written or while it is live. */
    addPhoto: (actor, a: AlertResource) =>
      ['draft', 'rejected', 'pending_approval', 'active'].includes(a.state) && works(actor, a),
    /** A signed-in resident who can read a live alert may answer it. */
    answer: (actor, a: AlertResource) =>
      !!actor &&
      actor.kind === 'resident' &&
      a.state === 'active' &&
      (a.capScope === 'Public' || a.isRecipient),
    /** Residents' own receipts. */
    receipt: (actor, a: AlertResource) => !!actor && a.isRecipient && isPublished(a),
    /** Counting a share: anyone who can see a published alert. */
    share: (actor, a: AlertResource) =>
      isPublished(a) && (a.capScope === 'Public' || (!!actor && a.isRecipient)),
    /** Publishing to the public feeds and share page needs no sign-in. */
    readPublic: (_actor, a: AlertResource) => isPublished(a) && a.capScope === 'Public',
    /** Unit settings and neighbours: commanders of the unit, administrators. */
    configureUnit: (actor, unit: { path: string }) => isAdmin(actor) || commandsPath(actor, unit.path),
    readUnitConfig: (actor, unit: { id: string; path: string }) =>
      isAdmin(actor) || commandsPath(actor, unit.path) || isOfficerOfUnit(actor, unit.id),
    /** Staff lists: any officer or commander (the list is scoped by their grants). */
    listStaff: (actor) => !!actor?.grants.some((g) => g.role === 'officer' || g.role === 'commander'),
    /**
     * The console's approval badge: any staff member. Only commanders approve, so an officer's or an
     * administrator's count is 0 (administrators configure, they do not approve: roles-and-data.md).
     */
    countAwaitingApproval: (actor) => actor?.kind === 'staff',
    /** The staff list holds the alerts of the caller's units: the ones they work. */
    inMyUnits: (actor, a: AlertResource) => works(actor, a),
  },
  {
    /** The SQL twin of `inMyUnits`: issued by a unit I am an officer of, or under a unit I command. */
    inMyUnits: (s: Scope, c: { issuingUnitPath: SQL | AnyColumn }) =>
      sql`(${pathIn(c.issuingUnitPath, s.officerUnitPaths)} or ${underAnyPath(c.issuingUnitPath, s.commandPaths)})`,
    /** The SQL twin of `approve`: waiting for approval at a path under a unit I command. */
    approve: (s: Scope, c: { state: SQL | AnyColumn; approvalPath: SQL | AnyColumn }) =>
      sql`(${c.state} = 'pending_approval' and ${underAnyPath(c.approvalPath, s.commandPaths)})`,
  },
)

export type AlertAction = keyof typeof alertsPolicy.rules & string
