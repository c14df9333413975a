import type { FastifyServerOptions } from 'fastify'
import type { Config } from '../config'
import { serializeError } from './log-serializers'

/**
 * Pretty lines in a terminal, JSON otherwise (or as LOG_FORMAT says). Tokens and cookies are never
 * logged, nor the parameters of a failed database query (they hold personal data).
 */
export function loggerOptions(
  config: Pick<Config, 'LOG_LEVEL' | 'LOG_FORMAT'>,
): FastifyServerOptions['logger'] {
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY)
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-tip-code"]',
        'res.headers["set-cookie"]',
        'err.params',
        'err.cause.params',
      ],
      remove: true,
    },
    serializers: { err: serializeError },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
          },
        }
      : {}),
  }
}
