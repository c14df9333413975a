import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config'

const base = { DATA_DIR: `/tmp/nhipcau-config-test-${process.pid}`, SESSION_SECRET: 'x'.repeat(40) }
const prod = { ...base, NODE_ENV: 'production', SMS_PROVIDER: 'http', SMS_HTTP_TOKEN: 'k:s' }
const load = (env: Record<string, string>) => loadConfig(env)

describe('F5: TRUST_PROXY names the proxies, not "anyone"', () => {
  it('takes a hop count or a list of addresses and CIDRs', () => {
    expect(load({ ...prod, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1)
    expect(load({ ...prod, TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1/128' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '::1/128',
    ])
    expect(load({ ...prod, TRUST_PROXY: 'loopback' }).TRUST_PROXY).toEqual(['loopback'])
    expect(load({ ...base }).TRUST_PROXY).toBe(false)
    expect(load({ ...base, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
  })

  it('refuses true in production with a line saying what to set instead', () => {
    expect(() => load({ ...prod, TRUST_PROXY: 'true' })).toThrow(ConfigError)
    expect(() => load({ ...prod, TRUST_PROXY: 'true' })).toThrow(
      /TRUST_PROXY="true".*TRUST_PROXY=1 behind one/,
    )
  })

  it('names the variable for a value that is neither', () => {
    for (const bad of ['yes', '10.0.0.0/33', 'nginx', '1.2.3']) {
      expect(() => load({ ...base, TRUST_PROXY: bad })).toThrow(/^Invalid TRUST_PROXY=/)
    }
  })
})

describe('F11: exposing the development server or the codes is a choice', () => {
  it('refuses a non-loopback HOST outside production unless ALLOW_INSECURE_DEV=1', () => {
    expect(() => load({ ...base, HOST: '0.0.0.0' })).toThrow(/HOST="0.0.0.0".*ALLOW_INSECURE_DEV=1/)
    expect(() => load({ ...base, HOST: '192.168.1.20', NODE_ENV: 'test' })).toThrow(ConfigError)
    expect(load({ ...base, HOST: '0.0.0.0', ALLOW_INSECURE_DEV: '1' }).HOST).toBe('0.0.0.0')
    expect(load({ ...base, HOST: '127.0.0.2' }).HOST).toBe('127.0.0.2')
    expect(load({ ...prod, HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0')
  })

  it('refuses SMS_PROVIDER=console in production unless ALLOW_CONSOLE_SMS=1', () => {
    const consoleSms = { ...prod, SMS_PROVIDER: 'console' }
    expect(() => load(consoleSms)).toThrow(/SMS_PROVIDER="console" in production.*ALLOW_CONSOLE_SMS=1/)
    expect(() => load({ ...base, NODE_ENV: 'production' })).toThrow(/SMS_PROVIDER="console"/)
    expect(load({ ...consoleSms, ALLOW_CONSOLE_SMS: '1' }).SMS_PROVIDER).toBe('console')
  })
})

describe('issue 16: S3-compatible object storage for files', () => {
  const s3 = {
    S3_BUCKET: 'nhipcau-files',
    S3_ENDPOINT: 'https://s3.example.vn',
    S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    S3_SECRET_ACCESS_KEY: 's'.repeat(40),
  }

  it('keeps files on disk unless S3_BUCKET is set', () => {
    const c = load({ ...base })
    expect(c.S3_BUCKET).toBeUndefined()
    expect(c.S3_REGION).toBe('us-east-1')
    expect(c.S3_FORCE_PATH_STYLE).toBe(false)
  })

  it('reads the bucket, endpoint, region, keys and path style', () => {
    const c = load({ ...base, ...s3, S3_REGION: 'ap-southeast-1', S3_FORCE_PATH_STYLE: 'true' })
    expect(c).toMatchObject({ ...s3, S3_REGION: 'ap-southeast-1', S3_FORCE_PATH_STYLE: true })
    // Without keys: the SDK's own chain (an instance role)
    expect(load({ ...base, S3_BUCKET: 'nhipcau-files' }).S3_ACCESS_KEY_ID).toBeUndefined()
  })

  it('names the variable and what is expected for a bad value', () => {
    expect(() => load({ ...base, ...s3, S3_BUCKET: 'Nhipcau_Files' })).toThrow(
      /^Invalid S3_BUCKET=.*bucket name/,
    )
    expect(() => load({ ...base, ...s3, S3_ENDPOINT: 's3.example.vn' })).toThrow(
      /^Invalid S3_ENDPOINT=.*absolute URL/,
    )
    expect(() => load({ ...base, ...s3, S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      /^Invalid S3_FORCE_PATH_STYLE=.*true or false/,
    )
    expect(() => load({ ...base, ...s3, S3_REGION: 'Hà Nội' })).toThrow(/^Invalid S3_REGION=/)
  })

  it('refuses a half-configured bucket rather than quietly keeping files on one instance’s disk', () => {
    const { S3_BUCKET: _, ...noBucket } = s3
    expect(() => load({ ...base, ...noBucket })).toThrow(/Missing S3_BUCKET: S3_ENDPOINT, S3_ACCESS_KEY_ID/)
    expect(() => load({ ...base, ...s3, S3_SECRET_ACCESS_KEY: '' })).toThrow(
      /Missing S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/,
    )
    const { S3_ACCESS_KEY_ID: __, ...noKeyId } = s3
    expect(() => load({ ...base, ...noKeyId })).toThrow(/Missing S3_ACCESS_KEY_ID/)
  })
})

describe('REDIS_CHANNEL', () => {
  it('defaults to one channel and takes another deployment’s own name', () => {
    expect(load(base).REDIS_CHANNEL).toBe('nhipcau:events')
    expect(load({ ...base, REDIS_CHANNEL: 'nhipcau:phuong-thu-nghiem' }).REDIS_CHANNEL).toBe(
      'nhipcau:phuong-thu-nghiem',
    )
    expect(() => load({ ...base, REDIS_CHANNEL: 'phường thử' })).toThrow(/^Invalid REDIS_CHANNEL=/)
  })
})
