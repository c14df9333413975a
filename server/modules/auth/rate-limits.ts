import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/** A caller on this machine (the socket's own peer, never a forwarded header). */
export const isLoopback = (ip: string | undefined) => !!ip && LOOPBACK.has(ip)

/**
 * Outside production, requests from this machine (the demo, the browser journeys) are not limited
 * per IP: every journey comes from 127.0.0.1. Per-number and per-username limits still apply, and
 * the tests of the per-IP limits call from other addresses.
 */
export const isIpLimitExempt = (config: Pick<Config, 'isProduction'>, ip: string | undefined) =>
  !config.isProduction && !!ip && LOOPBACK.has(ip)

/** The IP to count against, or null when exempt. */
export const limitedIp = (config: Pick<Config, 'isProduction'>, request: FastifyRequest) =>
  isIpLimitExempt(config, request.ip) ? null : request.ip

/** Route config for @fastify/rate-limit: `max` calls per IP per 15 minutes on this instance. */
export const perIpRouteLimit = (config: Pick<Config, 'isProduction'>, max: number) => ({
  rateLimit: {
    max,
    timeWindow: '15 minutes',
    allowList: (request: FastifyRequest) => isIpLimitExempt(config, request.ip),
  },
})
