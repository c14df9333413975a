import type { App } from '../app'
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../modules/auth/session.cookies'
import { startSession } from '../modules/auth/session.service'

export interface TestSession {
  sessionId: string
  /** The raw session token (what the browser's httpOnly cookie holds). */
  token: string
  csrf: string
  /** Spread into app.inject: `{ url, headers: session.headers }` — cookie and CSRF header both set. */
  headers: { cookie: string; [CSRF_HEADER]: string }
  /** Cookies only, without the CSRF header (to test that writes need it). */
  cookieOnly: { cookie: string }
}

/**
 * Signs a user in through the session service, not the UI (the Documenso way): tests of any
 * module call `signInAs(t.app, user)` and pass `headers` to app.inject.
 */
export async function signInAs(
  app: App,
  user: { id: string; kind: 'resident' | 'staff' },
): Promise<TestSession> {
  const started = await startSession(app.db, app.deps.config, user, { ip: '127.0.0.1', userAgent: 'vitest' })
  const cookie = `${SESSION_COOKIE}=${started.token}; ${CSRF_COOKIE}=${started.csrf}`
  return {
    sessionId: started.session.id,
    token: started.token,
    csrf: started.csrf,
    headers: { cookie, [CSRF_HEADER]: started.csrf },
    cookieOnly: { cookie },
  }
}

/** Cookies set by a response, as a Cookie header for the next request. */
export function cookiesFrom(res: { cookies: { name: string; value: string }[] }): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}
