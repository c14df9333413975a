import { type Actor, commandsPath, coversPath, isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'

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

/** The area's officer, the assignee, or a commander above the area. */
export const staffOverArea = (a: Actor | null, areaPath: string | null, assigneeId: string | null = null) =>
  isStaff(a) &&
  (assigneeId === a.userId || (!!areaPath && (coversPath(a, areaPath) || commandsPath(a, areaPath))))

/** Officers of the group's unit or area, commanders above it. */
export const staffOverGroup = (a: Actor | null, unitPath: string) =>
  isStaff(a) &&
  (coversPath(a, unitPath) ||
    commandsPath(a, unitPath) ||
    a.grants.some((g) => g.role === 'officer' && g.unitPath !== null && unitPath.startsWith(g.unitPath)))

/** A resident holding a moderator grant over the unit (tổ trưởng tổ dân phố) co-moderates its groups. */
const unitModerator = (a: Actor | null, unitPath: string) =>
  !!a?.grants.some((g) => g.role === 'moderator' && g.unitPath !== null && unitPath.startsWith(g.unitPath))

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

export const messagingPolicy = definePolicy({
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
  report: (a: Actor | null, c: ConversationResource) => c.kind === 'group' && canRead(a, c),
  /** Read the inbox and canned replies: officers and commanders. */
  useInbox: (a: Actor | null) =>
    isStaff(a) &&
    (a.assignedAreas.length > 0 || a.grants.some((g) => g.role === 'officer' || g.role === 'commander')),
  /** Create a group on a unit or area, or manage a unit's canned replies and targets. */
  manageUnit: (a: Actor | null, unit: { path: string }) => staffOverGroup(a, unit.path),
  setTargets: (a: Actor | null, unit: { path: string }) =>
    isAdmin(a) || (isStaff(a) && commandsPath(a, unit.path)),
  manageGroup: (a: Actor | null, g: { unitPath: string; isOwner: boolean }) =>
    isStaff(a) && (g.isOwner || staffOverGroup(a, g.unitPath)),
  joinGroup: (a: Actor | null) => !!a,
})

export type MessagingAction = keyof typeof messagingPolicy.rules

/** The "what may I do next" flags sent with a conversation. */
export const conversationActions = ['read', 'post', 'work', 'moderate', 'report'] as const
