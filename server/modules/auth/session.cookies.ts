import type { FastifyReply } from 'fastify'
import type { Config } from '../../config'

export const SESSION_COOKIE = 'nhipcau_session'
export const CSRF_COOKIE = 'nhipcau_csrf'
export const CSRF_HEADER = 'x-csrf-token'

/** Secure everywhere except a plain-http localhost, where browsers would drop a Secure cookie. */
export function isSecureCookie(config: Pick<Config, 'PUBLIC_URL'>): boolean {
  const url = new URL(config.PUBLIC_URL)
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
  return !(url.protocol === 'http:' && local)
}

/**
 * The session token lives in an httpOnly cookie; the CSRF token in a readable one the web client
 * copies into the x-csrf-token header (double submit). SameSite=Lax keeps both off cross-site posts.
 */
export function setSessionCookies(
  reply: FastifyReply,
  config: Config,
  token: string,
  csrf: string,
  expires: Date,
) {
  const secure = isSecureCookie(config)
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, expires })
  reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'lax', secure, expires })
}

export function clearSessionCookies(reply: FastifyReply, config: Config) {
  const secure = isSecureCookie(config)
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure })
  reply.clearCookie(CSRF_COOKIE, { path: '/', httpOnly: false, sameSite: 'lax', secure })
}
