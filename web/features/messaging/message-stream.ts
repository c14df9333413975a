import type { TRealtimeEvent } from '@common/events'
import type { TMessageView, TSyncResponse } from '@common/schemas/messaging'
import { isRefusal } from '../../api/client'
import { realtime } from '../../api/realtime'
import { messagingApi } from './messaging-api'

/**
 * The page's stream of messages. Events on the socket bring messages at once; the cursor moves only
 * with catch-up answers (GET /api/sync, or the one a subscribe's answer carries), so after any
 * reconnect the client asks for everything after it and nothing published while it was away is
 * missed (messages are merged by id: no duplicates).
 */
type MessageListener = (messages: TMessageView[]) => void
type EventListener = (event: TRealtimeEvent) => void

const messageListeners = new Set<MessageListener>()
const eventListeners = new Set<EventListener>()
let cursor: number | null = null
let started = false
let catchingUp: Promise<void> | null = null
/** Asked again while a catch-up was on its way: its answer may predate what prompted the ask. */
let askedAgain = false
/**
 * A catch-up that failed is tried again, 1 s doubling to 5 s with jitter: the socket may well stay
 * open (a server busy with a reconnect storm answers 503 or drops the request), and no reconnect
 * would then ask for what was published while the page was away.
 */
const RETRY_MIN_MS = 1000
const RETRY_MAX_MS = 5_000
/**
 * A catch-up request unanswered this long is given up and tried again: one that never answers (a
 * connection that died with the server or the phone's network, never reset) would otherwise hold
 * every later catch-up behind it, and the page would miss what was published until a reload.
 */
export const SYNC_TIMEOUT_MS = 15_000
let retryDelayMs = RETRY_MIN_MS
let retryTimer: ReturnType<typeof setTimeout> | undefined

function retryLater() {
  if (retryTimer) return
  const delay = retryDelayMs / 2 + (Math.random() * retryDelayMs) / 2
  retryDelayMs = Math.min(RETRY_MAX_MS, retryDelayMs * 2)
  retryTimer = setTimeout(() => {
    retryTimer = undefined
    void catchUp()
  }, delay)
}

/** GET /api/sync, abandoned after SYNC_TIMEOUT_MS (a rejection, so the catch-up is retried). */
async function sync(after?: number) {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), SYNC_TIMEOUT_MS)
  try {
    return await messagingApi.sync(after, controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

function emit(messages: TMessageView[]) {
  if (messages.length) for (const l of messageListeners) l(messages)
}

async function catchUp(): Promise<void> {
  if (catchingUp) {
    askedAgain = true
    return catchingUp
  }
  catchingUp = (async () => {
    do {
      askedAgain = false
      try {
        if (cursor === null) {
          cursor = (await sync()).cursor
          continue
        }
        for (let page = 0; page < 20; page++) {
          const res = await sync(cursor)
          emit(res.messages)
          cursor = res.cursor
          if (!res.hasMore) break
        }
        retryDelayMs = RETRY_MIN_MS
      } catch (err) {
        askedAgain = false
        // Signed out (a refusal the same request would get again): nothing to retry.
        if (!isRefusal(err)) retryLater()
      }
    } while (askedAgain)
    catchingUp = null
  })()
  return catchingUp
}

/** Settles the catch-up asked for with a subscribe (see `catchUpOnSubscribe`); null when none is asked. */
let settleSubscribeCatchUp: (() => void) | null = null

/**
 * As a subscribe is about to go, while no catch-up is on its way: the cursor goes with it, and the
 * server's `subscribed` answer brings the catch-up, read once the rooms are joined. Until that
 * answer, this is the catch-up on its way (others asked meanwhile run after it); the socket
 * dropping or SYNC_TIMEOUT_MS without an answer leaves it to GET /api/sync.
 */
function catchUpOnSubscribe(): number | undefined {
  if (catchingUp || cursor === null) return undefined
  catchingUp = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      settle()
      void catchUp()
    }, SYNC_TIMEOUT_MS)
    const settle = () => {
      clearTimeout(timer)
      settleSubscribeCatchUp = null
      catchingUp = null
      resolve()
    }
    settleSubscribeCatchUp = settle
  })
  return cursor
}

function onSubscribed(answer: { sync?: TSyncResponse | null }) {
  const settle = settleSubscribeCatchUp
  settle?.()
  if (settle && answer.sync) {
    emit(answer.sync.messages)
    cursor = answer.sync.cursor
    retryDelayMs = RETRY_MIN_MS
    const more = askedAgain || answer.sync.hasMore
    askedAgain = false
    if (more) void catchUp()
    return
  }
  // Rooms granted without the catch-up (none asked, it could not be read, or a later answer for
  // rooms checked again): their events reach the socket only from now, so the cursor is asked now.
  void catchUp()
}

function start() {
  if (started) return
  started = true
  const rt = realtime()
  rt.onEvent((event) => {
    if (event.type === 'message.created' || event.type === 'message.updated') emit([event.message])
    for (const l of eventListeners) l(event)
  })
  // Events of a room reach the socket only once the server has granted it: what was published
  // between the page's first load (or the drop) and that moment comes from the cursor. A socket that
  // joins rooms catches up on that answer alone, which carries the catch-up itself when the
  // subscribe gave the cursor: no request of its own per reconnect, which is what thousands of
  // clients coming back after a restart cost the server.
  rt.onStatus((status) => {
    if (status === 'open' && !rt.joinsRooms) void catchUp()
    // Dropped before the answer: the next open's subscribe asks again (or GET /api/sync, if asked).
    if (status !== 'open' && settleSubscribeCatchUp) {
      settleSubscribeCatchUp()
      if (askedAgain) void catchUp()
    }
  })
  rt.catchUpOnSubscribe(catchUpOnSubscribe)
  rt.on('subscribed', onSubscribed)
  if (rt.status === 'open') void catchUp()
  else void catchUp() // the first call only learns the current cursor
}

export function onMessages(listener: MessageListener): () => void {
  start()
  messageListeners.add(listener)
  return () => messageListeners.delete(listener)
}

export function onStreamEvent(listener: EventListener): () => void {
  start()
  eventListeners.add(listener)
  return () => eventListeners.delete(listener)
}

/** Asks for anything missed now (e.g. when the tab becomes visible again). */
export const resync = () => catchUp()
