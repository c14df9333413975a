import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import { stormBatchWindowMs } from '../../db/embedded'
import type { Actor } from '../../lib/actor'
import { KeyBatcher } from '../../lib/key-batcher'
import { sessionsEnded } from '../../realtime/access-events'
import { publishAfterCommit } from '../../realtime/event-bus'
import { actorFrom, loadActor } from './actor.repository'
import { hmac, newToken, sha256 } from './auth.crypto'
import { requestOrigin } from './auth.guard'
import { SESSION_COOKIE, setSessionCookies } from './session.cookies'
import {
  findLiveSessionsWithScope,
  forgetOldSessionIps,
  insertSession,
  revokeSessionByTokenHash,
  type SessionRow,
  touchSessions,
  type UserRow,
} from './session.repository'
import type { SessionCache } from './session-cache'

const HOUR = 3600_000
/** Residents stay signed in on their own phone; staff sessions end after a working day. */
export const SESSION_TTL_MS = { resident: 30 * 24 * HOUR, staff: 12 * HOUR } as const
/** last_seen_at is written at most this often, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 5 * 60_000

/** The CSRF token is bound to the session: HMAC of the session token's hash. */
export const csrfTokenFor = (config: Pick<Config, 'SESSION_SECRET'>, tokenHash: string) =>
  hmac(config.SESSION_SECRET, `csrf:${tokenHash}`)

export interface StartedSession {
  token: string
  csrf: string
  session: SessionRow
  /** The browser's previous session, ended by the rotation (its sockets must close). */
  endedSessionIds: string[]
}

/**
 * Opens a session for a user. The token presented by the browser (if any) is revoked first:
 * a sign-in always rotates, so a token planted before sign-in never becomes a signed-in one.
 */
export async function startSession(
  db: DbOrTx,
  config: Config,
  user: Pick<UserRow, 'id' | 'kind'>,
  origin: { ip: string | null; userAgent: string | null },
  previousToken?: string,
): Promise<StartedSession> {
  const endedSessionIds = previousToken ? await revokeSessionByTokenHash(db, sha256(previousToken)) : []
  await forgetOldSessionIps(db)
  const token = newToken()
  const tokenHash = sha256(token)
  const session = await insertSession(db, {
    userId: user.id,
    tokenHash,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS[user.kind]),
    ip: origin.ip,
    userAgent: origin.userAgent,
  })
  return { token, csrf: csrfTokenFor(config, tokenHash), session, endedSessionIds }
}

/** Starts a session for the request's browser, sets both cookies and returns the new actor. */
export async function signInBrowser(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Db,
  user: UserRow,
): Promise<Actor> {
  const config = request.server.deps.config
  const started = await startSession(
    db,
    config,
    user,
    requestOrigin(request),
    request.cookies[SESSION_COOKIE],
  )
  setSessionCookies(reply, config, started.token, started.csrf, started.session.expiresAt)
  if (started.endedSessionIds.length)
    await publishAfterCommit(request.server.deps.bus, sessionsEnded(started.endedSessionIds), request.log)
  const actor = await loadActor(db, user, started.session.id)
  request.actor = actor
  request.userId = actor.userId
  return actor
}

export interface ResolvedSession {
  actor: Actor
  session: SessionRow
  tokenHash: string
}

/**
 * Live sessions by token hash, read in batches: the upgrades and requests of a reconnect storm that
 * miss the cache together cost one statement (and one write of last_seen_at) per batch, not each.
 */
export function sessionLookups(db: Db): KeyBatcher<string, ResolvedSession> {
  return new KeyBatcher(
    async (tokenHashes) => {
      const rows = await findLiveSessionsWithScope(db, tokenHashes)
      const stale = Date.now() - TOUCH_EVERY_MS
      await touchSessions(
        db,
        rows.filter((r) => r.session.lastSeenAt.getTime() < stale).map((r) => r.session.id),
      )
      return new Map(
        rows.map((r) => [
          r.session.tokenHash,
          { actor: actorFrom(r.user, r.session.id, r), session: r.session, tokenHash: r.session.tokenHash },
        ]),
      )
    },
    500,
    stormBatchWindowMs(db),
  )
}

/**
 * The actor behind a session cookie, or null for an unknown, revoked or expired token: served by
 * the cache of recently resolved sessions when it has it (every request and upgrade), else read in
 * a batch with the other lookups of the moment. See SessionCache for why a revoked session is never
 * served from it.
 */
export async function resolveSessionCached(
  cache: SessionCache,
  lookups: KeyBatcher<string, ResolvedSession>,
  token: string,
): Promise<ResolvedSession | null> {
  const tokenHash = sha256(token)
  const hit = cache.get(tokenHash)
  if (hit) return hit
  const epoch = cache.epoch
  const resolved = await lookups.load(tokenHash)
  if (!resolved) return null
  cache.set(tokenHash, resolved, epoch)
  return resolved
}
