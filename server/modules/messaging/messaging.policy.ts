import { type SQL, sql } from 'drizzle-orm'
import { pathAbove, staffOverUnitSql, underAnyPath, worksAreaSql } from '../../db/unit-path-sql'
import { type Actor, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { commandsPath, moderatesPath, type Scope, scopeOf, staffOverUnit, worksArea } from '../../lib/scope'

/** What a rule needs to know about a conversation: loaded once per request by the access loader. */
export interface ConversationResource {
  kind: 'direct' | 'group'
  residentId: string | null
  areaPath: string | null
  assigneeId: string | null
  group: GroupResource | null
  /** The actor's own membership row in the group, if any. */
  member: MemberResource | null
}

export interface GroupResource {
  unitPath: string
  postingPolicy: 'everyone' | 'staff_and_moderators'
}

export interface MemberResource {
  role: 'owner' | 'moderator' | 'member'
  status: 'active' | 'pending' | 'muted' | 'removed'
  mutedUntil: Date | null
}

const isStaff = (a: Actor | null): a is Actor => a?.kind === 'staff'

/** Officers and commanders: those who answer residents (and so use canned replies). */
const answersResidents = (a: Actor | null): a is Actor =>
  isStaff(a) &&
  (a.assignedAreas.length > 0 || a.grants.some((g) => g.role === 'officer' || g.role === 'commander'))

/** What a canned-reply rule needs: its unit, whether it is shared, its author. */
export interface CannedReplyResource {
  unitPath: string
  shared: boolean
  authorId: string | null
}

/** Every unit path the actor works in: covered areas, units they are an officer of, units they command. */
const workPaths = (a: Actor) => {
  const s = scopeOf(a)
  return [...s.coverPaths, ...s.officerUnitPaths, ...s.commandPaths]
}

/**
 * A unit's shared replies reach everyone who works at or below it (a province's reach its wards'
 * officers), and its commanders' whole subtree: never a neighbouring unit.
 */
const sharedReaches = (a: Actor, unitPath: string) =>
  workPaths(a).some((p) => p.startsWith(unitPath)) || staffOverUnit(a, unitPath)

/** A shared reply speaks for its unit to every officer under it: its commanders decide what it says. */
const sharesFor = (a: Actor | null, unit: { path: string }) => isStaff(a) && commandsPath(a, unit.path)

/** The area's officer, a commander above the area, the assignee while they hold a grant over it. */
const staffOverArea = (a: Actor | null, areaPath: string | null, assigneeId: string | null) =>
  worksArea(a, { areaPath, assigneeId })

/** Officers of the group's unit or area, commanders above it. */
export const staffOverGroup = (a: Actor | null, unitPath: string) => staffOverUnit(a, unitPath)

/** A resident holding a moderator grant over the unit (tổ trưởng tổ dân phố) co-moderates its groups. */
const unitModerator = (a: Actor | null, unitPath: string) => moderatesPath(a, unitPath)

const isMutedNow = (m: MemberResource) =>
  m.status === 'muted' && (m.mutedUntil === null || m.mutedUntil.getTime() > Date.now())

const activeMember = (m: MemberResource | null): m is MemberResource =>
  !!m && (m.status === 'active' || m.status === 'muted')

const groupModerator = (a: Actor | null, c: ConversationResource) =>
  !!c.group &&
  (staffOverGroup(a, c.group.unitPath) ||
    unitModerator(a, c.group.unitPath) ||
    (activeMember(c.member) && (c.member.role === 'owner' || c.member.role === 'moderator')))

const canRead = (a: Actor | null, c: ConversationResource) => {
  if (!a) return false
  if (c.kind === 'direct') return a.userId === c.residentId || staffOverArea(a, c.areaPath, c.assigneeId)
  return activeMember(c.member) || groupModerator(a, c)
}

/** Columns of a direct conversation in a list query. */
export interface DirectColumns {
  residentId: SQL
  areaPath: SQL
  assigneeId: SQL
}

/** Columns of a group in a list query: its unit, and the caller's own membership status (or null). */
export interface GroupColumns {
  unitPath: SQL
  myStatus: SQL
}

export const messagingPolicy = definePolicy(
  {
    /** Start or open one's own conversation with the police of one's area. */
    askMyArea: (a: Actor | null) => a?.kind === 'resident' && !!a.areaId,
    read: canRead,
    post: (a: Actor | null, c: ConversationResource) => {
      if (!a || !canRead(a, c)) return false
      if (c.kind === 'direct') return true
      if (groupModerator(a, c)) return true
      if (!activeMember(c.member) || isMutedNow(c.member)) return false
      return c.group?.postingPolicy === 'everyone'
    },
    /** Internal notes, status, labels, transfer, resident's details: the area's police only. */
    work: (a: Actor | null, c: ConversationResource) =>
      c.kind === 'direct' && staffOverArea(a, c.areaPath, c.assigneeId),
    moderate: (a: Actor | null, c: ConversationResource) => c.kind === 'group' && groupModerator(a, c),
    /** A guidance card speaks for the group's police or its moderators, never for any member. */
    postGuidance: (a: Actor | null, c: ConversationResource) => c.kind === 'group' && groupModerator(a, c),
    report: (a: Actor | null, c: ConversationResource) => c.kind === 'group' && canRead(a, c),
    /** Read the inbox and canned replies: officers and commanders. */
    useInbox: answersResidents,
    /** A canned reply: its author's own while personal; once shared, everyone its unit reaches. */
    readCanned: (a: Actor | null, r: CannedReplyResource) =>
      answersResidents(a) && (r.authorId === a.userId || (r.shared && sharedReaches(a, r.unitPath))),
    /** File a personal reply under a unit or area one works in (at or below one's own unit). */
    fileCanned: (a: Actor | null, unit: { path: string }) =>
      answersResidents(a) && staffOverUnit(a, unit.path),
    /** Share a reply with a unit (or file a shared one there): the unit's commanders. */
    shareCanned: sharesFor,
    /** Edit or delete: a personal reply by its author, a shared one by the commanders of its unit. */
    changeCanned: (a: Actor | null, r: CannedReplyResource) =>
      answersResidents(a) && (r.shared ? sharesFor(a, { path: r.unitPath }) : r.authorId === a.userId),
    /** Create a group on a unit or area, or manage a unit's canned replies and targets. */
    manageUnit: (a: Actor | null, unit: { path: string }) => staffOverGroup(a, unit.path),
    setTargets: (a: Actor | null, unit: { path: string }) =>
      isAdmin(a) || (isStaff(a) && commandsPath(a, unit.path)),
    /** Link one's own Zalo / Messenger contact to one's account (a code): residents, for themselves. */
    linkChannel: (a: Actor | null) => a?.kind === 'resident',
    /** Connect the unit's Zalo OA or Facebook Page and see their status: its commanders, admins. */
    manageChannels: (a: Actor | null, unit: { path: string }) =>
      isAdmin(a) || (isStaff(a) && commandsPath(a, unit.path)),
    manageGroup: (a: Actor | null, g: { unitPath: string; isOwner: boolean }) =>
      isStaff(a) && (g.isOwner || staffOverGroup(a, g.unitPath)),
    joinGroup: (a: Actor | null) => !!a,
    /** A resident's question in a group for the police: staff over the group's unit answer it. */
    answerGroupQuestion: (a: Actor | null, q: { unitPath: string }) => staffOverGroup(a, q.unitPath),
  },
  {
    /** The SQL twin of `read` for direct conversations. */
    readDirect: (s: Scope, c: DirectColumns) => sql`(${c.residentId} = ${s.userId} or ${worksAreaSql(s, c)})`,
    /** The SQL twin of `read` for groups: an active member, or staff and moderators over its unit. */
    readGroup: (s: Scope, c: GroupColumns) =>
      sql`(${c.myStatus} in ('active', 'muted') or ${staffOverUnitSql(s, c.unitPath)}
        or ${underAnyPath(c.unitPath, s.moderatorPaths)})`,
    /** The SQL twin of `readCanned` (`c.authorId` the author, `c.unitPath` the reply's unit path). */
    readCanned: (s: Scope, c: { authorId: SQL; shared: SQL; unitPath: SQL }) => {
      if (!s.isStaff) return sql`false`
      const mine = [...s.coverPaths, ...s.officerUnitPaths, ...s.commandPaths]
      const above = mine.length
        ? sql`(${sql.join(
            mine.map((p) => pathAbove(c.unitPath, p)),
            sql` or `,
          )})`
        : sql`false`
      return sql`(${c.authorId} = ${s.userId} or (${c.shared} and (${above} or ${staffOverUnitSql(s, c.unitPath)})))`
    },
    /** The SQL twin of `manageUnit`: units and areas the caller may create groups on. */
    manageUnit: (s: Scope, c: { path: SQL }) => staffOverUnitSql(s, c.path),
  },
)

/**
 * Whether the actor reads only what is their own: their direct conversations and the groups they
 * are an active (or muted) member of. True for residents without a moderator grant; for them the
 * `read` rule and its twins come down to `ownReads`, which a statement can apply to many readers
 * at once (the catch-ups of a reconnect storm).
 */
export const readsOnlyOwn = (s: Scope) => !s.isStaff && !s.isAdmin && s.moderatorPaths.length === 0

/**
 * `scopes.readDirect` and `scopes.readGroup` for a scope `readsOnlyOwn` accepts, with the reader a
 * column (`userId`) instead of a parameter; `myStatus` is that reader's membership status.
 */
export const ownReads = {
  direct: (userId: SQL, c: DirectColumns) => sql`${c.residentId} = ${userId}`,
  group: (c: GroupColumns) => sql`${c.myStatus} in ('active', 'muted')`,
}

export type MessagingAction = keyof typeof messagingPolicy.rules

/** The "what may I do next" flags sent with a conversation. */
export const conversationActions = ['read', 'post', 'work', 'moderate', 'report', 'postGuidance'] as const
