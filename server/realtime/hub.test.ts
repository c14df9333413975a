import type { Room, TRealtimeEvent, TServerMessage } from '@common/events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { isSessionLive } from '../modules/auth/session.repository'
import { signInAs } from '../test/auth-helpers'
import { buildResident } from '../test/factories/index'
import { createTestApp, type TestContext } from '../test/test-app'
import { openTestSocket } from '../test/ws-client'

let t: TestContext
let url: string
beforeAll(async () => {
  t = await createTestApp()
  // A room family that anyone may join, only for this test.
  t.app.hub.registerRoomAuthoriser('system', (_ctx, room) => room === 'system:test')
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`
})
afterAll(() => t.close())

function connect(): Promise<{
  ws: WebSocket
  next: (type: TServerMessage['type']) => Promise<TServerMessage>
}> {
  const ws = new WebSocket(url)
  const inbox: TServerMessage[] = []
  const waiters: { type: string; resolve: (m: TServerMessage) => void }[] = []
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as TServerMessage
    const i = waiters.findIndex((w) => w.type === msg.type)
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(msg)
    else inbox.push(msg)
  })
  const next = (type: TServerMessage['type']) =>
    new Promise<TServerMessage>((resolve) => {
      const i = inbox.findIndex((m) => m.type === type)
      if (i >= 0) resolve(inbox.splice(i, 1)[0]!)
      else waiters.push({ type, resolve })
    })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }))
    ws.once('error', reject)
  })
}

describe('the real-time hub', () => {
  it('delivers an event published after a commit to a subscribed socket, once', async () => {
    const client = await connect()
    await client.next('hello')
    client.ws.send(JSON.stringify({ type: 'subscribe', rooms: ['system:test', 'group:not-mine'] }))
    const sub = await client.next('subscribed')
    expect(sub).toEqual({ type: 'subscribed', rooms: ['system:test'], denied: ['group:not-mine'] })

    await t.db.transaction(async (tx) => {
      await tx.execute('select 1')
    })
    await t.bus.publish({
      type: 'system.ping',
      rooms: ['system:test', 'system:test'],
      at: new Date().toISOString(),
      message: 'xin chào',
    })
    const got = await client.next('event')
    expect(got).toMatchObject({ type: 'event', event: { type: 'system.ping', message: 'xin chào' } })
    client.ws.close()
  })

  it('checks a room again when its check failed (the database busy), instead of denying it', async () => {
    let calls = 0
    t.app.hub.registerRoomsAuthoriser('system', async (_ctx, rooms) => {
      calls++
      if (calls <= 2) throw new Error('timeout exceeded when trying to connect')
      return rooms.filter((room) => room === 'system:test')
    })
    try {
      const client = await connect()
      await client.next('hello')
      client.ws.send(JSON.stringify({ type: 'subscribe', rooms: ['system:test', 'system:other'] }))
      // Neither granted nor denied while the check fails; the client catches up on each answer.
      expect(await client.next('subscribed')).toEqual({ type: 'subscribed', rooms: [], denied: [] })
      expect(await client.next('subscribed')).toEqual({ type: 'subscribed', rooms: [], denied: [] })
      expect(await client.next('subscribed')).toEqual({
        type: 'subscribed',
        rooms: ['system:test'],
        denied: ['system:other'],
      })
      expect(calls).toBe(3)
      await t.bus.publish({
        type: 'system.ping',
        rooms: ['system:test'],
        at: new Date().toISOString(),
        message: 'sau khi thử lại',
      })
      expect(await client.next('event')).toMatchObject({ event: { message: 'sau khi thử lại' } })
      client.ws.close()
    } finally {
      t.app.hub.registerRoomAuthoriser('system', (_ctx, room) => room === 'system:test')
    }
  })

  it('does not join a room unsubscribed while its check was to be tried again', async () => {
    let fail = true
    t.app.hub.registerRoomsAuthoriser('system', async (_ctx, rooms) => {
      if (fail) throw new Error('timeout exceeded when trying to connect')
      return rooms
    })
    try {
      const client = await connect()
      let events = 0
      client.ws.on('message', (raw) => {
        if (JSON.parse(raw.toString()).type === 'event') events++
      })
      await client.next('hello')
      client.ws.send(JSON.stringify({ type: 'subscribe', rooms: ['system:test'] }))
      expect(await client.next('subscribed')).toEqual({ type: 'subscribed', rooms: [], denied: [] })
      client.ws.send(JSON.stringify({ type: 'unsubscribe', rooms: ['system:test'] }))
      fail = false
      // Past the retry (1 s at most, with jitter): it must not have joined.
      await new Promise((r) => setTimeout(r, 1500))
      await t.bus.publish({
        type: 'system.ping',
        rooms: ['system:test'],
        at: new Date().toISOString(),
        message: 'không nhận',
      })
      await new Promise((r) => setTimeout(r, 300))
      expect(events).toBe(0)
      client.ws.close()
    } finally {
      t.app.hub.registerRoomAuthoriser('system', (_ctx, room) => room === 'system:test')
    }
  })

  it('rejects a malformed message with an error frame and keeps the socket open', async () => {
    const client = await connect()
    await client.next('hello')
    client.ws.send('not json')
    expect(await client.next('error')).toMatchObject({ code: 'bad_json' })
    client.ws.send(JSON.stringify({ type: 'ping' }))
    expect(await client.next('pong')).toEqual({ type: 'pong' })
    client.ws.close()
  })

  it('still delivers while sessions cannot be checked (database away), or asks the client to resync', async () => {
    const resident = await buildResident(t.db)
    const { headers } = await signInAs(t.app, resident)
    const socket = await openTestSocket(url, headers.cookie)
    expect((await socket.subscribe(['system:test'])).denied).toEqual([])
    const ping = (rooms: Room[], message: string): TRealtimeEvent => ({
      type: 'system.ping',
      rooms,
      at: new Date().toISOString(),
      message,
    })
    t.app.hub.setSessionGuard(async () => {
      throw new Error('Connection terminated unexpectedly')
    })
    try {
      // Through a room it chose as well as its personal room: it arrives.
      await t.bus.publish(ping(['system:test', `user:${resident.id}`], 'qua phòng đã chọn'))
      expect(await socket.nextEvent((e) => e.type === 'system.ping')).toMatchObject({
        message: 'qua phòng đã chọn',
      })
      // Only through its personal room: not sent unchecked, and not lost: the client is asked to resync.
      await t.bus.publish(ping([`user:${resident.id}`], 'chỉ phòng riêng'))
      expect(await socket.closed).toBe(1001)
      expect(socket.events().map((e) => (e.type === 'system.ping' ? e.message : e.type))).toEqual([
        'qua phòng đã chọn',
      ])
    } finally {
      t.app.hub.setSessionGuard((sessionId) => isSessionLive(t.app.db, sessionId))
    }
  })

  it('tells clients the server is going away when it shuts down', async () => {
    const client = await connect()
    await client.next('hello')
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)))
    t.app.hub.close()
    expect(await closed).toBe(1001)
  })
})
