import type { TRealtimeEvent, TServerMessage } from '@common/events'
import WebSocket from 'ws'
import type { TestContext } from './test-app'

/** Starts the test app on a free port; returns its WebSocket URL. */
export async function listenForSockets(t: TestContext): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const address = t.app.server.address()
  return `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/ws`
}

export type TestSocket = Awaited<ReturnType<typeof openTestSocket>>

/**
 * A WebSocket client for tests, as the browser's: it keeps every frame, lets a test wait for the
 * next matching one, and knows the close code. `settle()` is a barrier: the server answers a
 * subscribe only after every delivery queued before it, so "nothing arrived" can be asserted
 * without sleeping.
 */
export async function openTestSocket(url: string, cookie?: string) {
  const ws = new WebSocket(url, cookie ? { headers: { cookie } } : {})
  const frames: TServerMessage[] = []
  const waiters: { match: (m: TServerMessage) => boolean; resolve: (m: TServerMessage) => void }[] = []
  ws.on('message', (raw) => {
    const msg = JSON.parse(raw.toString()) as TServerMessage
    frames.push(msg)
    const i = waiters.findIndex((w) => w.match(msg))
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(msg)
  })
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  let seen = 0
  /** The next frame (not yet taken) that matches. */
  const next = (match: (m: TServerMessage) => boolean) =>
    new Promise<TServerMessage>((resolve) => {
      const i = frames.findIndex((m, at) => at >= seen && match(m))
      if (i >= 0) {
        seen = i + 1
        resolve(frames[i]!)
      } else
        waiters.push({
          match,
          resolve: (m) => {
            seen = frames.length
            resolve(m)
          },
        })
    })
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  await next((m) => m.type === 'hello')
  const events = (): TRealtimeEvent[] => frames.flatMap((f) => (f.type === 'event' ? [f.event] : []))
  const subscribe = async (rooms: string[]) => {
    ws.send(JSON.stringify({ type: 'subscribe', rooms }))
    return (await next((m) => m.type === 'subscribed')) as Extract<TServerMessage, { type: 'subscribed' }>
  }
  const nextEvent = (match: (e: TRealtimeEvent) => boolean) =>
    next((m) => m.type === 'event' && match(m.event)).then((m) => (m as { event: TRealtimeEvent }).event)
  const settle = () => subscribe(['system:barrier'])
  return { ws, frames, closed, next, nextEvent, events, subscribe, settle }
}

/** The message bodies a socket has received so far. */
export const bodiesOf = (events: TRealtimeEvent[]) =>
  events.flatMap((e) =>
    e.type === 'message.created' || e.type === 'message.updated' ? [e.message.body] : [],
  )
