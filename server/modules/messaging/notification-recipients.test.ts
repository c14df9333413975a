import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { groupMembers, pushSubscriptions } from '../../db/schema/index'
import { buildAreaGroup } from '../../test/factories/alerts.factory'
import { buildArea, buildOfficer, buildResident, buildWard, grantRole } from '../../test/factories/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import { unitStaffService } from '../organisation/unit-staff.service'
import { conversationRepository } from './conversation.repository'
import { messageRepository } from './message.repository'
import { callerFor, key } from './messaging.test-support'
import {
  type MessageRecipient,
  messageRecipientsWithKind,
  pushRecipientsOfSend,
} from './notification-recipients'

let t: TestContext
/** What each send's write found to push to (direct conversations: `directPushRecipientsSql`), by message. */
const pushToOfWrite = new Map<string, MessageRecipient[] | null>()
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())
// Before each test: the suite restores spies after every test.
beforeEach(() => {
  const insertSent = messageRepository.insertSent.bind(messageRepository)
  vi.spyOn(messageRepository, 'insertSent').mockImplementation(async (db, values) => {
    const outcome = await insertSent(db, values)
    if (outcome.message) pushToOfWrite.set(outcome.message.id, outcome.pushTo)
    return outcome
  })
})

const device = (userId: string) =>
  t.db.insert(pushSubscriptions).values({
    userId,
    endpoint: `https://push.example/${key()}`,
    p256dh: 'p256dh',
    auth: 'auth',
  })

/** The send's short statement (and in a direct conversation, its write) must find exactly whom the general one finds. */
async function bothFor(
  message: { id: string; conversationId: string; isInternal: boolean },
  authorId: string,
) {
  const c = (await conversationRepository.get(t.db, message.conversationId))!
  const commanders =
    c.kind === 'direct' && c.areaPath ? await unitStaffService.commandersOver(t.db, c.areaPath) : []
  const general = await messageRecipientsWithKind(t.db, message.id, { withDevice: true })
  const ofSend = await pushRecipientsOfSend(t.db, {
    conversation: c,
    authorId,
    isInternal: message.isInternal,
    commanders,
  })
  return { general, ofSend, kind: c.kind }
}

type Sent = { status: number; body: { message: { id: string; conversationId: string; isInternal: boolean } } }

async function check(cases: [Sent, string, string[]][]) {
  for (const [i, [sent, authorId, expected]] of cases.entries()) {
    expect([200, 201]).toContain(sent.status)
    const { general, ofSend, kind } = await bothFor(sent.body.message, authorId)
    expect(ofSend, `case ${i}`).toEqual(general)
    // A group's are read after the write, by the short statement.
    expect(pushToOfWrite.get(sent.body.message.id), `case ${i}`).toEqual(kind === 'direct' ? general : null)
    expect(
      ofSend.map((r) => r.id),
      `case ${i}`,
    ).toEqual([...expected].sort())
  }
}

describe('push recipients of a send', () => {
  it('are the people the general query finds, in direct conversations and groups', async () => {
    const ward = await buildWard(t.db)
    const area = await buildArea(t.db, { parent: ward })
    const unassignedArea = await buildArea(t.db, { parent: ward })
    const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
    const commander = (
      await buildOfficer(t.db, { areas: [await buildArea(t.db, { parent: ward })], unit: ward })
    ).user
    await grantRole(t.db, commander.id, 'commander', ward.id)
    const resident = await buildResident(t.db, { area })
    const neighbour = await buildResident(t.db, { area })
    const alone = await buildResident(t.db, { area: unassignedArea })
    const noDevice = await buildResident(t.db, { area })
    for (const u of [officer, commander, resident, neighbour, alone]) await device(u.id)

    const asResident = await callerFor(t, resident)
    const asOfficer = await callerFor(t, officer)
    const asAlone = await callerFor(t, alone)
    const asked = await asResident.post('/api/ask/messages', { clientKey: key(), body: 'Hỏi' })
    const conversationId = asked.body.conversationId as string
    const answered = await asOfficer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Đáp',
    })
    const note = await asOfficer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Ghi chú',
      internal: true,
    })
    const unassigned = await asAlone.post('/api/ask/messages', {
      clientKey: key(),
      body: 'Không ai phụ trách?',
    })
    await check([
      [asked, resident.id, [officer.id]],
      [answered, officer.id, [resident.id]],
      [note, officer.id, []],
      [unassigned, alone.id, [commander.id]],
    ])

    await asResident.put(`/api/conversations/${conversationId}/mute`, { muted: true })
    const afterMute = await asOfficer.post(`/api/conversations/${conversationId}/messages`, {
      clientKey: key(),
      body: 'Sau khi tắt',
    })

    const { group, conversation } = await buildAreaGroup(t.db, area, officer, [resident, neighbour, noDevice])
    await t.db
      .update(groupMembers)
      .set({ notificationsMuted: true })
      .where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, neighbour.id)))
    const inGroup = await asOfficer.post(`/api/conversations/${conversation.id}/messages`, {
      clientKey: key(),
      body: 'Thông báo',
    })
    await check([
      [afterMute, officer.id, []],
      [inGroup, officer.id, [resident.id]],
    ])
  })
})
