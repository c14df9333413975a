import { hkdfSync, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { resolve } from 'node:path'
import { z } from 'zod'

/** The browsers' push services: Chrome/Edge/Opera (FCM), Safari, Windows, Firefox (F7). */
export const PUSH_SERVICE_HOSTS = [
  '*.googleapis.com',
  '*.push.apple.com',
  '*.notify.windows.com',
  'push.services.mozilla.com',
  '*.push.services.mozilla.com',
]

const megabytes = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a whole number of megabytes' })
    .int('expected a whole number of megabytes')
    .min(1, 'expected at least 1 (megabyte)')
    .default(fallback)

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
  /**
   * The pub/sub channel of this deployment's instances. Redis channels ignore the database number
   * in REDIS_URL: two deployments on one Redis (a test ward beside the real one) each need their own.
   */
  REDIS_CHANNEL: z
    .string()
    .regex(/^[\w:.-]{1,100}$/, 'expected letters, digits and : . _ - (at most 100)')
    .default('nhipcau:events'),
  SESSION_SECRET: z.string().min(32, 'expected at least 32 characters').optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  LOG_FORMAT: z.enum(['pretty', 'json', 'auto']).default('auto'),
  /**
   * Which proxies' X-Forwarded-For to believe: false, a hop count (1 behind one proxy), or a comma
   * list of proxy addresses and CIDRs. `true` (every hop, so the client's own header) is refused in
   * production.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v)
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            'expected false, a number of proxies in front (1 behind one proxy) or a comma list of proxy addresses/CIDRs such as 10.0.0.0/8',
        })
        return z.NEVER
      }
      return parsed
    }),
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  SMS_PROVIDER: z.enum(['console', 'http']).default('console'),
  /** 1: allow SMS_PROVIDER=console in production (codes in the log), e.g. a closed pilot. */
  ALLOW_CONSOLE_SMS: z.enum(['0', '1']).default('0'),
  /** 1: allow a non-loopback HOST outside production (the demo's published passwords become reachable). */
  ALLOW_INSECURE_DEV: z.enum(['0', '1']).default('0'),
  SMS_HTTP_URL: z.url().optional(),
  SMS_HTTP_TOKEN: z.string().optional(),
  /**
   * Officers' answers and alerts by SMS. "same": the provider of the sign-in codes (SMS_PROVIDER);
   * "http": eSMS.vn with SMS_MESSAGES_HTTP_URL/TOKEN (a brandname account, "ApiKey:SecretKey:Brandname"),
   * when codes go through a cheaper fixed-number account; "console": printed, for the demo.
   */
  SMS_MESSAGES_PROVIDER: z.enum(['same', 'console', 'http']).default('same'),
  SMS_MESSAGES_HTTP_URL: z.url().optional(),
  SMS_MESSAGES_HTTP_TOKEN: z.string().optional(),
  /** What one SMS segment costs the unit (đồng), as the provider's contract says; budgets count with it. */
  SMS_PRICE_VND: z.coerce
    .number({ error: 'expected a whole number of đồng' })
    .int('expected a whole number of đồng')
    .min(0)
    .max(100_000)
    .default(800),
  /**
   * Residents' SMS replies (eSMS.vn short-code MO): the CP id and private key eSMS gives for the
   * number. They sign each delivery (MD5); unset, the webhook answers 404 and nothing is received.
   */
  SMS_MO_CPID: z.string().max(100).optional(),
  SMS_MO_PRIVATE_KEY: z.string().max(200).optional(),
  /** On a shared short code, the keyword residents type first ("CAP …"); it is taken off their text. */
  SMS_MO_KEYWORD: z.string().max(30).optional(),
  /**
   * Hosts the server may post Web Push messages to: `*.example.com`, exact names or addresses, `*`
   * any public host. Default: the browsers' push services in production, `*` elsewhere. Internal
   * addresses are refused unless named exactly (a local fake push service in tests).
   */
  PUSH_ALLOWED_HOSTS: z.string().max(2000).optional(),
  /**
   * Bearer token for GET /metrics (Prometheus text format). Unset: /metrics answers 404, so a public
   * deployment never shows its figures by accident. At least 32 characters.
   */
  METRICS_TOKEN: z.string().min(32, 'expected at least 32 characters').optional(),
  /**
   * S3-compatible object storage for uploaded files (photos, clips, voice messages, posters), so
   * several instances share no disk. Unset S3_BUCKET: files stay in DATA_DIR/files (the default).
   * S3_ENDPOINT names a non-AWS service (MinIO, Ceph, Garage, a provider's own); S3_FORCE_PATH_STYLE=true
   * for services without bucket subdomains. Without the key pair the SDK's own chain (instance role,
   * AWS_* variables) is used.
   */
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'expected a bucket name: 3–63 lowercase letters, digits, dots or hyphens',
    )
    .optional(),
  S3_ENDPOINT: z.url({ error: 'expected an absolute URL such as https://s3.example.vn' }).optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'expected a region name such as us-east-1 or ap-southeast-1')
    .default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], { error: 'expected true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** Megabytes one client address may upload per day through anonymous tips and tip-code follow-ups. */
  ANON_UPLOAD_MB_PER_ADDRESS: megabytes(300),
  /** Megabytes all anonymous senders together may upload per day. */
  ANON_UPLOAD_MB_PER_DAY: megabytes(5000),
  /** Megabytes of files a unit may hold (tips, cases, answers, conversations, alerts); uploads past it are refused (507). */
  UNIT_STORAGE_QUOTA_MB: megabytes(50_000),
  /**
   * Megabytes of photos, PDFs and voice messages one resident may hold in conversations and groups,
   * so one account cannot fill its unit's storage; uploads past it are refused (413).
   */
  MESSAGE_FILES_MB_PER_RESIDENT: megabytes(500),
  /** The unit's administrators and commanders are warned from this share of the quota (percent). */
  UNIT_STORAGE_WARN_PERCENT: z.coerce
    .number({ error: 'expected a whole number between 1 and 100' })
    .int('expected a whole number between 1 and 100')
    .min(1)
    .max(100)
    .default(80),
  WEB_DIST_DIR: z.string().default('./dist/web'),
  CORS_ORIGINS: z.string().optional(),
  /** Map tiles for the staff map, e.g. https://tiles.example.vn/{z}/{x}/{y}.png; empty: no tiles (list view only). */
  MAP_TILE_URL: z.string().max(500).default(''),
  MAP_TILE_ATTRIBUTION: z.string().max(300).default(''),
  /**
   * The key that encrypts connected Zalo OA / Facebook Page secrets (AES-256-GCM): 32 bytes as 64 hex
   * characters or base64. Unset: derived from SESSION_SECRET (changing that then needs the channels
   * connected again).
   */
  CHANNEL_SECRET_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== undefined, 'expected 32 bytes as 64 hex characters or base64')
    .optional(),
  /** The Graph API the Messenger client calls (a local fake in tests). */
  MESSENGER_GRAPH_URL: z.url().default('https://graph.facebook.com'),
  MESSENGER_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/, 'expected a Graph API version such as v23.0')
    .default('v23.0'),
  /** The Zalo OA Open API and OAuth servers (local fakes in tests). */
  ZALO_OPENAPI_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_URL: z.url().default('https://oauth.zaloapp.com'),
})

/** 32 bytes from 64 hex characters or base64; undefined otherwise. */
function decodeKey(value: string): Buffer | undefined {
  const v = value.trim()
  const key = /^[0-9a-f]{64}$/i.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64')
  return key.length === 32 ? key : undefined
}

export type TConfigEnv = z.infer<typeof ZConfigEnv>

export interface Config
  extends Omit<
    TConfigEnv,
    'SESSION_SECRET' | 'PUBLIC_URL' | 'DATA_DIR' | 'PUSH_ALLOWED_HOSTS' | 'CHANNEL_SECRET_KEY'
  > {
  SESSION_SECRET: string
  /** 32 bytes: from CHANNEL_SECRET_KEY, else derived from the session secret. */
  CHANNEL_SECRET_KEY: Buffer
  PUSH_ALLOWED_HOSTS: string[]
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
  checkExposure(c, isProduction)
  checkObjectStorage(c)
  const sessionSecret = c.SESSION_SECRET ?? readOrCreateSecret(dataDir)
  return {
    ...c,
    DATA_DIR: dataDir,
    isProduction,
    PUSH_ALLOWED_HOSTS: (c.PUSH_ALLOWED_HOSTS ?? (isProduction ? PUSH_SERVICE_HOSTS.join(',') : '*'))
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    PUBLIC_URL: (c.PUBLIC_URL ?? `http://${c.HOST === '0.0.0.0' ? 'localhost' : c.HOST}:${c.PORT}`).replace(
      /\/$/,
      '',
    ),
    SESSION_SECRET: sessionSecret,
    CHANNEL_SECRET_KEY: c.CHANNEL_SECRET_KEY
      ? decodeKey(c.CHANNEL_SECRET_KEY)!
      : Buffer.from(hkdfSync('sha256', sessionSecret, 'nhipcau', 'channel-secrets', 32)),
  }
}

/** false | true | hop count | list of addresses and CIDRs (proxy-addr's names too); undefined when invalid. */
function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const v = value.trim().toLowerCase()
  if (v === 'false' || v === '0') return false
  if (v === 'true') return true
  if (/^\d+$/.test(v)) return Number(v) <= 32 ? Number(v) : undefined
  const entries = v.split(',').map((e) => e.trim())
  const valid = (entry: string) => {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    if (!family || rest.length > 0) return false
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128))
  }
  return entries.length > 0 && entries.every(valid) ? entries : undefined
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

/** Settings that expose the server or residents' codes must be chosen on purpose (F5, F11). */
function checkExposure(c: TConfigEnv, isProduction: boolean) {
  if (isProduction && c.TRUST_PROXY === true) {
    throw new ConfigError(
      'Invalid TRUST_PROXY="true": in production it believes any client\'s X-Forwarded-For. Set the number of proxies in front (TRUST_PROXY=1 behind one) or their addresses (TRUST_PROXY=10.0.0.0/8)',
    )
  }
  if (isProduction && c.SMS_PROVIDER === 'console' && c.ALLOW_CONSOLE_SMS !== '1') {
    throw new ConfigError(
      'Invalid SMS_PROVIDER="console" in production: every sign-in code would be written to the log. Set SMS_PROVIDER=http (with SMS_HTTP_TOKEN), or ALLOW_CONSOLE_SMS=1 to accept that on purpose',
    )
  }
  if (
    !isProduction &&
    !LOOPBACK_HOSTS.has(c.HOST) &&
    !/^127\./.test(c.HOST) &&
    c.ALLOW_INSECURE_DEV !== '1'
  ) {
    throw new ConfigError(
      `Invalid HOST=${JSON.stringify(c.HOST)} outside production: the demo's published passwords and the development code reader would be reachable from other machines. Set NODE_ENV=production, or ALLOW_INSECURE_DEV=1 to accept that on purpose`,
    )
  }
}

/** S3_* settings only make sense together: a half-configured bucket stops start-up, never falls back to disk. */
function checkObjectStorage(c: TConfigEnv) {
  const named = (['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const).filter((k) => c[k])
  if (!c.S3_BUCKET && named.length > 0) {
    throw new ConfigError(
      `Missing S3_BUCKET: ${named.join(', ')} ${named.length > 1 ? 'are' : 'is'} set, so files are meant for object storage; name the bucket, or unset ${named.join(', ')} to keep files in DATA_DIR/files`,
    )
  }
  if (!!c.S3_ACCESS_KEY_ID !== !!c.S3_SECRET_ACCESS_KEY) {
    const missing = c.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'
    throw new ConfigError(
      `Missing ${missing}: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or set neither to use the instance's role)`,
    )
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
