import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

/** Every setting the server reads from the environment. Defaults run the embedded single-node product. */
export const ZConfigEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce
    .number({ error: 'expected a whole number between 1 and 65535' })
    .int('expected a whole number between 1 and 65535')
    .min(1)
    .max(65535)
    .default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ error: 'expected an absolute URL such as https://nhipcau.example.vn' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL')
    .optional(),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json', 'auto']).default('auto'),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SMS_PROVIDER: z.enum(['console', 'http']).default('console'),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  WEB_DIST_DIR: z.string().default('./dist/web'),
  CORS_ORIGINS: z.string().optional(),
  /** Map tiles for the staff map, e.g. https://tiles.example.vn/{z}/{x}/{y}.png; empty: no tiles (list view only). */
  MAP_TILE_URL: z.string().max(500).default(''),
  MAP_TILE_ATTRIBUTION: z.string().max(300).default(''),
})

export type TConfigEnv = z.infer<typeof ZConfigEnv>

export interface Config extends Omit<TConfigEnv, 'SESSION_SECRET' | 'PUBLIC_URL' | 'DATA_DIR'> {
  SESSION_SECRET: string
  PUBLIC_URL: string
  DATA_DIR: string
  isProduction: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment; throws ConfigError with one line per bad variable, naming it and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value (`DATABASE_URL=` in .env) means "not set", as in most tools.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  )
  const parsed = ZConfigEnv.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment')
      const got = env[name]
      return `Invalid ${name}=${JSON.stringify(got ?? '')}: ${issue.message}`
    })
    throw new ConfigError(lines.join('\n'))
  }
  const c = parsed.data
  const dataDir = resolve(c.DATA_DIR)
  const isProduction = c.NODE_ENV === 'production'
  if (isProduction && !c.SESSION_SECRET) {
    throw new ConfigError('Missing SESSION_SECRET: required in production (at least 32 random characters)')
  }
  return {
    ...c,
    DATA_DIR: dataDir,
    isProduction,
    PUBLIC_URL: (c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`).replace(
      /\/$/,
      '',
    ),
    SESSION_SECRET: c.SESSION_SECRET ?? readOrCreateSecret(dataDir),
  }
}

/** In the embedded default the secret is generated once and kept in the data dir, so sessions survive restarts. */
function readOrCreateSecret(dataDir: string): string {
  const file = resolve(dataDir, 'session-secret')
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  mkdirSync(dataDir, { recursive: true })
  const secret = randomBytes(48).toString('base64url')
  writeFileSync(file, secret, { mode: 0o600 })
  return secret
}
