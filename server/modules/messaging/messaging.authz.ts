import { randomUUID } from 'node:crypto'
import { type AuthzRequestContext, type AuthzRole, defineAuthz, roleSets } from '../../test/authz-types'
import {
  buildCannedReply,
  buildDirectConversation,
  buildGroup,
  buildGroupQuestion,
  buildMessage,
  buildResident,
} from '../../test/factories/index'
import { fileRepository } from './file.repository'

/** The home resident's conversation with the police of world.area, answered by world.officer. */
async function direct({ db, world }: AuthzRequestContext) {
  const c = await buildDirectConversation(db, {
    resident: world.users.resident,
    area: world.area,
    assignee: world.users.officer,
  })
  const m = await buildMessage(db, { conversation: c, author: world.users.resident, body: 'Câu hỏi' })
  return { c, m }
}

/** A residential group of world.area owned by world.officer; world.resident is a member. */
async function group({ db, world }: AuthzRequestContext, members = [world.users.resident]) {
  const g = await buildGroup(db, { unit: world.area, owner: world.users.officer, members })
  const m = await buildMessage(db, {
    conversation: g.conversation,
    author: world.users.resident,
    body: 'Tin nhắn nhóm',
  })
  return { ...g, m }
}

const send = () => ({ clientKey: `authz-${randomUUID()}`, body: 'Xin chào' })
const directReaders: AuthzRole[] = ['resident', 'officer', 'commander']
const directStaff: AuthzRole[] = ['officer', 'commander']
const groupReaders: AuthzRole[] = ['resident', 'moderator', 'officer', 'commander']
const groupModerators: AuthzRole[] = ['moderator', 'officer', 'commander']
const inboxUsers: AuthzRole[] = ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour']

function pdfUpload() {
  const boundary = 'authzboundary'
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    Buffer.from('%PDF-1.4\n%%EOF\n'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/ask', allow: roleSets.residents },
  { method: 'POST', route: '/api/ask', allow: roleSets.residents },
  {
    method: 'POST',
    route: '/api/ask/messages',
    allow: roleSets.residents,
    request: () => ({ payload: send() }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id',
    allow: directReaders,
    note: "the resident, the area's officer and the commander above it; nobody else learns it exists",
    request: async (ctx) => ({ url: `/api/conversations/${(await direct(ctx)).c.id}` }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id/messages',
    allow: directReaders,
    request: async (ctx) => ({ url: `/api/conversations/${(await direct(ctx)).c.id}/messages` }),
  },
  {
    method: 'POST',
    route: '/api/conversations/:id/messages',
    allow: directReaders,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}/messages`,
      payload: send(),
    }),
  },
  {
    method: 'PUT',
    route: '/api/conversations/:id/mute',
    allow: directReaders,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}/mute`,
      payload: { muted: true },
    }),
  },
  {
    method: 'POST',
    route: '/api/conversations/:id/read',
    allow: directReaders,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}/read`,
      payload: { readSeq: 1 },
    }),
  },
  {
    method: 'POST',
    route: '/api/conversations/:id/attachments',
    allow: directReaders,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}/attachments`,
      ...pdfUpload(),
    }),
  },
  {
    method: 'GET',
    route: '/api/files/:id',
    allow: directReaders,
    note: 'files are served only to those who may read their conversation',
    request: async (ctx) => {
      const { c } = await direct(ctx)
      const stored = await ctx.app.deps.storage.put(
        `authz/${randomUUID()}.pdf`,
        Buffer.from('%PDF-1.4\n%%EOF\n'),
      )
      const file = await fileRepository.insert(ctx.db, {
        conversationId: c.id,
        uploaderId: ctx.world.users.resident.id,
        kind: 'file',
        mime: 'application/pdf',
        name: 'a.pdf',
        size: stored.size,
        storageKey: stored.key,
      })
      return { url: `/api/files/${file.id}` }
    },
  },
  {
    method: 'PATCH',
    route: '/api/messages/:id',
    allow: ['resident'],
    note: 'only the author edits, within 15 minutes',
    request: async (ctx) => ({
      url: `/api/messages/${(await direct(ctx)).m.id}`,
      payload: { body: 'Sửa lại' },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/messages/:id',
    allow: ['resident'],
    request: async (ctx) => ({ url: `/api/messages/${(await direct(ctx)).m.id}` }),
  },
  {
    method: 'POST',
    route: '/api/messages/:id/hide',
    allow: groupModerators,
    note: "the group's moderators (a tổ trưởng's moderator grant over the ward counts), its officers and commanders",
    request: async (ctx) => ({
      url: `/api/messages/${(await group(ctx)).m.id}/hide`,
      payload: { reason: 'Không đúng chủ đề' },
    }),
  },
  {
    method: 'POST',
    route: '/api/messages/:id/pin',
    allow: groupModerators,
    request: async (ctx) => ({ url: `/api/messages/${(await group(ctx)).m.id}/pin` }),
  },
  {
    method: 'DELETE',
    route: '/api/messages/:id/pin',
    allow: groupModerators,
    request: async (ctx) => ({ url: `/api/messages/${(await group(ctx)).m.id}/pin` }),
  },
  {
    method: 'POST',
    route: '/api/messages/:id/report',
    allow: groupReaders,
    request: async (ctx) => ({
      url: `/api/messages/${(await group(ctx)).m.id}/report`,
      payload: { reason: 'Tin rác' },
    }),
  },
  {
    method: 'GET',
    route: '/api/messages/:id/history',
    allow: directStaff,
    request: async (ctx) => ({ url: `/api/messages/${(await direct(ctx)).m.id}/history` }),
  },
  { method: 'GET', route: '/api/sync', allow: roleSets.signedIn, request: () => ({ query: { after: '0' } }) },
  {
    method: 'GET',
    route: '/api/inbox',
    allow: inboxUsers,
    note: 'each sees only their own areas or subtree',
  },
  {
    method: 'PATCH',
    route: '/api/conversations/:id',
    allow: directStaff,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}`,
      payload: { labels: ['procedure'] },
    }),
  },
  {
    method: 'POST',
    route: '/api/conversations/:id/transfer',
    allow: directStaff,
    request: async (ctx) => ({
      url: `/api/conversations/${(await direct(ctx)).c.id}/transfer`,
      payload: { toUserId: ctx.world.users.commander.id, note: 'Nhờ chỉ huy xử lý' },
    }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id/context',
    allow: directStaff,
    note: "the resident's personal data: audited",
    request: async (ctx) => ({ url: `/api/conversations/${(await direct(ctx)).c.id}/context` }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id/canned-replies',
    allow: directStaff,
    request: async (ctx) => ({ url: `/api/conversations/${(await direct(ctx)).c.id}/canned-replies` }),
  },
  {
    method: 'GET',
    route: '/api/conversations/:id/colleagues',
    allow: directStaff,
    request: async (ctx) => ({ url: `/api/conversations/${(await direct(ctx)).c.id}/colleagues` }),
  },
  {
    method: 'GET',
    route: '/api/canned-replies',
    allow: inboxUsers,
    note: "each caller's own and the shared ones their units reach (scope parity holds the list)",
  },
  {
    method: 'POST',
    route: '/api/canned-replies',
    allow: directStaff,
    note: 'a personal reply filed under the home ward: its officers and commanders',
    request: ({ world }) => ({
      payload: { unitId: world.ward.id, title: 'Chào hỏi', body: 'Chào {resident_name}' },
    }),
  },
  {
    method: 'PATCH',
    route: '/api/canned-replies/:id',
    allow: ['commander'],
    note: 'a reply shared with the home ward: only its commanders edit it (its officers read it: 403)',
    request: async ({ db, world }) => ({
      url: `/api/canned-replies/${(await buildCannedReply(db, { unit: world.ward })).id}`,
      payload: { version: 1, title: 'Chào hỏi (sửa)' },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/canned-replies/:id',
    allow: ['officer'],
    note: "the officer's personal reply: theirs alone, not even their commander's",
    request: async ({ db, world }) => ({
      url: `/api/canned-replies/${(await buildCannedReply(db, { unit: world.ward, shared: false, author: world.users.officer })).id}`,
    }),
  },
  {
    method: 'PUT',
    route: '/api/units/:id/messaging-settings',
    allow: roleSets.homeManagers,
    request: ({ world }) => ({
      url: `/api/units/${world.ward.id}/messaging-settings`,
      payload: { firstResponseTargetMinutes: 30 },
    }),
  },
  {
    method: 'GET',
    route: '/api/group-questions',
    allow: inboxUsers,
    note: 'each sees only the groups of their own areas or subtree',
  },
  {
    method: 'POST',
    route: '/api/messages/:id/ask-police',
    allow: groupModerators,
    request: async (ctx) => ({ url: `/api/messages/${(await group(ctx)).m.id}/ask-police` }),
  },
  {
    method: 'POST',
    route: '/api/group-questions/:id/answered',
    allow: ['officer', 'commander'],
    request: async (ctx) => ({
      url: `/api/group-questions/${(await buildGroupQuestion(ctx.db, { group: await group(ctx) })).id}/answered`,
    }),
  },
  { method: 'GET', route: '/api/groups', allow: roleSets.signedIn },
  { method: 'GET', route: '/api/groups/units', allow: inboxUsers },
  {
    method: 'POST',
    route: '/api/groups',
    allow: directStaff,
    request: ({ world }) => ({
      payload: { kind: 'residential_area', unitId: world.area.id, name: 'Nhóm cư dân' },
    }),
  },
  {
    method: 'GET',
    route: '/api/groups/:id',
    allow: groupReaders,
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}` }),
  },
  {
    method: 'GET',
    route: '/api/groups/:id/members',
    allow: groupReaders,
    note: "moderators see display names only; the area's police see phones (audited)",
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}/members` }),
  },
  {
    method: 'PATCH',
    route: '/api/groups/:id/members/:userId',
    allow: groupModerators,
    request: async (ctx) => {
      const member = await buildResident(ctx.db, { area: ctx.world.area })
      const g = await group(ctx, [ctx.world.users.resident, member])
      return {
        url: `/api/groups/${g.group.id}/members/${member.id}`,
        payload: { status: 'muted', mutedMinutes: 10 },
      }
    },
  },
  {
    method: 'PATCH',
    route: '/api/groups/:id/membership',
    allow: ['resident', 'officer'],
    note: "one's own notifications: only members (the resident joined, the officer owns it)",
    request: async (ctx) => ({
      url: `/api/groups/${(await group(ctx)).group.id}/membership`,
      payload: { notificationsMuted: true },
    }),
  },
  {
    method: 'DELETE',
    route: '/api/groups/:id/membership',
    allow: ['resident', 'officer'],
    note: 'leaving: only members have a membership to end (the officer owns the group: 409, an owner cannot leave)',
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}/membership` }),
  },
  {
    method: 'GET',
    route: '/api/groups/:id/invite',
    allow: groupModerators,
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}/invite` }),
  },
  {
    method: 'POST',
    route: '/api/groups/:id/invite/rotate',
    allow: directStaff,
    note: 'the owner and the staff over the group; moderators share the link but do not revoke it',
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}/invite/rotate` }),
  },
  {
    method: 'GET',
    route: '/api/groups/invites/:code',
    allow: roleSets.signedIn,
    request: async (ctx) => ({ url: `/api/groups/invites/${(await group(ctx)).group.inviteCode}` }),
  },
  {
    method: 'POST',
    route: '/api/groups/join',
    allow: roleSets.signedIn,
    note: 'anyone signed in with the code may ask to join',
    request: async (ctx) => ({ payload: { code: (await group(ctx)).group.inviteCode } }),
  },
  {
    method: 'GET',
    route: '/api/groups/:id/reports',
    allow: groupModerators,
    request: async (ctx) => ({ url: `/api/groups/${(await group(ctx)).group.id}/reports` }),
  },
])
