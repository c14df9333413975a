import { CLOSE_CODES } from '@common/events'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { areaAssignments, roleGrants, sessions } from '../db/schema/index'
import { type Caller, callerFor, key } from '../modules/messaging/messaging.test-support'
import {
  buildArea,
  buildCommander,
  buildGroup,
  buildOfficer,
  buildResident,
  buildWard,
} from '../test/factories/index'
import { createTestApp, type TestContext } from '../test/test-app'
import { bodiesOf, listenForSockets, openTestSocket } from '../test/ws-client'

/**
 * Security review F3: a socket's room membership was checked only when it subscribed. Each test
 * ends one kind of access over the API and checks that the socket stops receiving at once, as
 * REST does (404), not after a reconnect.
 */
let t: TestContext
let wsUrl: string
beforeAll(async () => {
  t = await createTestApp()
  wsUrl = await listenForSockets(t)
})
afterAll(() => t.close())

const socketOf = (caller: Caller) => openTestSocket(wsUrl, caller.session.headers.cookie)

/** A ward with a commander, an officer over area A, a resident of A with a question, and area B. */
async function world() {
  const ward = await buildWard(t.db)
  const areaA = await buildArea(t.db, { parent: ward })
  const areaB = await buildArea(t.db, { parent: ward })
  const commanderUser = (await buildCommander(t.db, { unit: ward })).user
  const commander = await callerFor(t, commanderUser)
  const officerUser = (await buildOfficer(t.db, { areas: [areaA], unit: ward })).user
  const officer = await callerFor(t, officerUser)
  const residentUser = await buildResident(t.db, { area: areaA })
  const resident = await callerFor(t, residentUser)
  const asked = await resident.post('/api/ask/messages', { clientKey: key(), body: 'Câu hỏi' })
  expect(asked.status).toBe(201)
  const conversationId = asked.body.conversationId as string
  const reply = (body: string) =>
    officer.post(`/api/conversations/${conversationId}/messages`, { clientKey: key(), body })
  return {
    ward,
    areaA,
    areaB,
    commander,
    commanderUser,
    officer,
    officerUser,
    resident,
    residentUser,
    conversationId,
    reply,
  }
}

describe('a socket loses what its user may no longer read (F3)', () => {
  it('closes on sign-out, and the officer’s next reply does not reach it', async () => {
    const w = await world()
    const socket = await socketOf(w.resident)
    expect((await socket.subscribe([`conversation:${w.conversationId}`])).denied).toEqual([])
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: w.resident.session.headers,
    })
    expect(out.statusCode).toBe(204)
    expect(await socket.closed).toBe(CLOSE_CODES.sessionEnded)
    await w.reply('Sau khi đăng xuất')
    expect(bodiesOf(socket.events())).not.toContain('Sau khi đăng xuất')
  })

  it('a socket opened again with a signed-out cookie (resolved moments before) is anonymous', async () => {
    const w = await world()
    const first = await socketOf(w.resident)
    expect((await first.subscribe([`conversation:${w.conversationId}`])).denied).toEqual([])
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      headers: w.resident.session.headers,
    })
    expect(out.statusCode).toBe(204)
    const again = await socketOf(w.resident)
    expect((await again.subscribe([`conversation:${w.conversationId}`])).denied).toEqual([
      `conversation:${w.conversationId}`,
    ])
    again.ws.close()
  })

  it('closes the other browsers’ sockets on “sign out other browsers”, and keeps this one', async () => {
    const w = await world()
    const other = await callerFor(t, w.residentUser)
    const otherSocket = await socketOf(other)
    const thisSocket = await socketOf(w.resident)
    const res = await w.resident.del('/api/me/sessions')
    expect(res.body).toEqual({ ended: 1 })
    expect(await otherSocket.closed).toBe(CLOSE_CODES.sessionEnded)
    await w.reply('Chỉ trình duyệt này')
    expect(bodiesOf([await thisSocket.nextEvent((e) => e.type === 'message.created')])).toEqual([
      'Chỉ trình duyệt này',
    ])
    thisSocket.ws.close()
  })

  it('closes the socket of the session a sign-in on the same browser replaces', async () => {
    const w = await world()
    const socket = await socketOf(w.resident)
    const phone = w.residentUser.phone!
    await t.app.inject({ method: 'POST', url: '/api/auth/otp/request', payload: { phone } })
    const { code } = (
      await t.app.inject({ url: `/api/dev/last-otp?phone=${encodeURIComponent(phone)}` })
    ).json()
    const signedIn = await t.app.inject({
      method: 'POST',
      url: '/api/auth/otp/verify',
      payload: { phone, code },
      headers: w.resident.session.headers,
    })
    expect(signedIn.statusCode).toBe(200)
    expect(await socket.closed).toBe(CLOSE_CODES.sessionEnded)
  })

  it('closes the socket of one revoked session', async () => {
    const w = await world()
    const other = await callerFor(t, w.residentUser)
    const otherSocket = await socketOf(other)
    expect((await w.resident.del(`/api/me/sessions/${other.session.sessionId}`)).status).toBe(204)
    expect(await otherSocket.closed).toBe(CLOSE_CODES.sessionEnded)
  })

  it('closes every socket of a deleted account', async () => {
    const w = await world()
    const phone = await socketOf(w.resident)
    const laptop = await socketOf(await callerFor(t, w.residentUser))
    expect((await w.resident.del('/api/me')).status).toBe(204)
    expect(await phone.closed).toBe(CLOSE_CODES.sessionEnded)
    expect(await laptop.closed).toBe(CLOSE_CODES.sessionEnded)
  })

  it('evicts a member removed from a group: the next group message does not reach them', async () => {
    const w = await world()
    const { group, conversation } = await buildGroup(t.db, {
      unit: w.areaA,
      owner: w.officerUser,
      members: [w.residentUser],
    })
    const socket = await socketOf(w.resident)
    expect((await socket.subscribe([`group:${group.id}`])).rooms).toEqual([`group:${group.id}`])
    const removed = await w.officer.patch(`/api/groups/${group.id}/members/${w.residentUser.id}`, {
      status: 'removed',
    })
    expect(removed.status).toBe(200)
    expect(await socket.next((m) => m.type === 'evicted')).toEqual({
      type: 'evicted',
      rooms: [`group:${group.id}`],
    })
    const sent = await w.officer.post(`/api/conversations/${conversation.id}/messages`, {
      clientKey: key(),
      body: 'Tin sau khi bị xoá khỏi nhóm',
    })
    expect(sent.status).toBe(201)
    await socket.settle()
    expect(bodiesOf(socket.events())).not.toContain('Tin sau khi bị xoá khỏi nhóm')
    expect((await w.resident.get(`/api/conversations/${conversation.id}/messages`)).status).toBe(404)
    socket.ws.close()
  })

  it('evicts an officer from the area’s room when their assignment ends', async () => {
    const w = await world()
    const socket = await socketOf(w.officer)
    expect((await socket.subscribe([`area:${w.areaA.id}`])).denied).toEqual([])
    const [assignment] = await t.db
      .select()
      .from(areaAssignments)
      .where(eq(areaAssignments.areaId, w.areaA.id))
    const ended = await w.commander.post(`/api/areas/${w.areaA.id}/assignments/${assignment!.id}/end`, {})
    expect(ended.status).toBe(204)
    expect(await socket.next((m) => m.type === 'evicted')).toMatchObject({ rooms: [`area:${w.areaA.id}`] })
    // The next officer's arrival is announced in the area's room: the former officer does not hear it.
    const next = (await buildOfficer(t.db, { areas: [], unit: w.ward })).user
    const assigned = await w.commander.post(`/api/areas/${w.areaA.id}/assignments`, { officerId: next.id })
    expect(assigned.status).toBe(201)
    await socket.settle()
    const heard = socket.events().filter((e) => e.type === 'area.officer_changed' && e.officerId === next.id)
    expect(heard).toEqual([])
    socket.ws.close()
  })

  it('evicts a resident from their old area’s room when they move to another area', async () => {
    const w = await world()
    const socket = await socketOf(w.resident)
    expect((await socket.subscribe([`area:${w.areaA.id}`])).denied).toEqual([])
    expect((await w.resident.patch('/api/me', { areaId: w.areaB.id })).status).toBe(200)
    expect(await socket.next((m) => m.type === 'evicted')).toEqual({
      type: 'evicted',
      rooms: [`area:${w.areaA.id}`],
    })
    const other = (await buildOfficer(t.db, { areas: [], unit: w.ward })).user
    await w.commander.post(`/api/areas/${w.areaA.id}/assignments`, { officerId: other.id })
    await socket.settle()
    expect(socket.events().filter((e) => e.type === 'area.officer_changed')).toEqual([])
    expect((await socket.subscribe([`area:${w.areaB.id}`])).denied).toEqual([])
    socket.ws.close()
  })

  it('evicts a commander whose grant was revoked at the next re-check of rooms', async () => {
    const w = await world()
    const socket = await socketOf(w.commander)
    expect((await socket.subscribe([`area:${w.areaB.id}`])).denied).toEqual([])
    // No route changes grants yet (an administrator does it in the database): the periodic re-check catches it.
    await t.db
      .update(roleGrants)
      .set({ revokedAt: new Date() })
      .where(eq(roleGrants.userId, w.commanderUser.id))
    await t.app.hub.recheckAll()
    expect(await socket.next((m) => m.type === 'evicted')).toEqual({
      type: 'evicted',
      rooms: [`area:${w.areaB.id}`],
    })
    socket.ws.close()
  })

  it('re-checks many sockets together and tells each apart: ended sessions closed, revoked grants evicted, the rest kept', async () => {
    const w = await world()
    const commanderUsers = await Promise.all(
      Array.from({ length: 4 }, async () => (await buildCommander(t.db, { unit: w.ward })).user),
    )
    const commanders = await Promise.all(commanderUsers.map((u) => callerFor(t, u)))
    const residents = await Promise.all(
      Array.from({ length: 4 }, async () => callerFor(t, await buildResident(t.db, { area: w.areaA }))),
    )
    const commanderSockets = await Promise.all(commanders.map(socketOf))
    for (const s of commanderSockets) expect((await s.subscribe([`area:${w.areaB.id}`])).denied).toEqual([])
    const residentSockets = await Promise.all(residents.map(socketOf))
    // By hand, with no event (the periodic re-check is what catches these): two commanders lose
    // their grant, two residents' sessions expire.
    for (const u of commanderUsers.slice(0, 2))
      await t.db.update(roleGrants).set({ revokedAt: new Date() }).where(eq(roleGrants.userId, u.id))
    for (const r of residents.slice(0, 2))
      await t.db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.id, r.session.sessionId))
    await t.app.hub.recheckAll()
    for (const s of commanderSockets.slice(0, 2))
      expect(await s.next((m) => m.type === 'evicted')).toEqual({
        type: 'evicted',
        rooms: [`area:${w.areaB.id}`],
      })
    for (const s of residentSockets.slice(0, 2)) expect(await s.closed).toBe(CLOSE_CODES.sessionEnded)
    for (const s of [...commanderSockets.slice(2), ...residentSockets.slice(2)]) {
      await s.settle()
      expect(s.ws.readyState).toBe(s.ws.OPEN)
    }
    for (const s of commanderSockets.slice(2)) expect(s.frames.some((m) => m.type === 'evicted')).toBe(false)
    for (const s of [...commanderSockets, ...residentSockets]) s.ws.close()
  })

  it('delivers nothing to a personal room once the session has expired, and closes the socket', async () => {
    const w = await world()
    const socket = await socketOf(w.resident)
    // Expiry announces itself with no event: the hub checks the session before a personal-room delivery.
    await t.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, w.resident.session.sessionId))
    await w.reply('Sau khi hết phiên')
    expect(await socket.closed).toBe(CLOSE_CODES.sessionEnded)
    expect(bodiesOf(socket.events())).not.toContain('Sau khi hết phiên')
  })
})
