import { createDecipheriv, createECDH, createHmac, createVerify, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedPush {
  path: string
  headers: Record<string, string | string[] | undefined>
  /** The decrypted payload, proving the message was encrypted for this subscription's keys. Only
   * decrypted pushes are listed (every one, unless the service was started with a sample). */
  plaintext: string
  vapidSubject: string | undefined
}

/** A browser's subscription keys (what PushManager.subscribe() returns), made here for a fake device. */
export function makeDeviceKeys() {
  const ecdh = createECDH('prime256v1')
  ecdh.generateKeys()
  const auth = randomBytes(16)
  return {
    ecdh,
    auth,
    subscriptionKeys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
  }
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest()

/** RFC 8291 / RFC 8188 (aes128gcm) decryption, as a browser does it. Throws if anything is off. */
export function decryptAes128gcm(body: Buffer, device: ReturnType<typeof makeDeviceKeys>): string {
  const salt = body.subarray(0, 16)
  const rs = body.readUInt32BE(16)
  const idlen = body[20]!
  const asPublic = body.subarray(21, 21 + idlen)
  const ciphertext = body.subarray(21 + idlen)
  if (idlen !== 65 || rs < 18 || ciphertext.length > rs) throw new Error('bad aes128gcm header')
  const ecdhSecret = device.ecdh.computeSecret(asPublic)
  const prkKey = hmac(device.auth, ecdhSecret)
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), device.ecdh.getPublicKey(), asPublic])
  const ikm = hmac(prkKey, Buffer.concat([keyInfo, Buffer.from([1])]))
  const prk = hmac(salt, ikm)
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16)
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12)
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce)
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16))
  const padded = Buffer.concat([
    decipher.update(ciphertext.subarray(0, ciphertext.length - 16)),
    decipher.final(),
  ])
  const end = padded.lastIndexOf(2)
  if (end < 0) throw new Error('missing padding delimiter')
  return padded.subarray(0, end).toString('utf8')
}

/** Checks the VAPID JWT (RFC 8292): ES256 over header.payload with the key in `k=`. */
function verifyVapid(authorization: string, audience: string): { subject: string; expiresAt: number } {
  const match = /^vapid t=([^,]+),\s*k=(.+)$/.exec(authorization)
  if (!match) throw new Error('Authorization is not "vapid t=…, k=…"')
  const [header, payload, signature] = match[1]!.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  if (claims.aud !== audience) throw new Error(`aud ${claims.aud} is not ${audience}`)
  if (claims.exp * 1000 < Date.now()) throw new Error('expired JWT')
  const publicKey = Buffer.from(match[2]!, 'base64url')
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: publicKey.subarray(1, 33).toString('base64url'),
    y: publicKey.subarray(33, 65).toString('base64url'),
  }
  const ok = createVerify('SHA256')
    .update(`${header}.${payload}`)
    .verify({ key: jwk, format: 'jwk', dsaEncoding: 'ieee-p1363' }, Buffer.from(signature!, 'base64url'))
  if (!ok) throw new Error('bad VAPID signature')
  return { subject: claims.sub, expiresAt: claims.exp * 1000 }
}

/** aes128gcm header (RFC 8188 §2.1): 16 salt + 4 record size + 1 key id length + a 65-byte P-256 key. */
const AES128GCM_HEADER = 86
/** RFC 8291 §4: push services must accept messages of at least 4,096 bytes; a sender may not count on more. */
const MAX_MESSAGE = 4096

/**
 * What a push service can check without the device's keys (it has none): the headers RFC 8030 and
 * RFC 8291 require and the shape of the aes128gcm body — one record, an uncompressed P-256 key, at
 * least a padding delimiter and the 16-byte tag after it. Throws on the first thing wrong.
 */
export function checkPushShape(headers: Record<string, string | string[] | undefined>, body: Buffer): void {
  if (headers['content-encoding'] !== 'aes128gcm') throw new Error('Content-Encoding must be aes128gcm')
  if (!/^\d+$/.test(String(headers.ttl ?? ''))) throw new Error('TTL header missing or not a number')
  const topic = headers.topic
  if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(String(topic)))
    throw new Error('Topic must be 1-32 base64url characters')
  if (body.length > MAX_MESSAGE) throw new Error(`body of ${body.length} bytes is over ${MAX_MESSAGE}`)
  if (body.length < AES128GCM_HEADER + 17) throw new Error(`body of ${body.length} bytes is too short`)
  const rs = body.readUInt32BE(16)
  if (body[20] !== 65 || body[21] !== 0x04) throw new Error('key id is not an uncompressed P-256 key')
  if (rs < 18 || body.length - AES128GCM_HEADER > rs) throw new Error('not a single aes128gcm record')
}

export interface FakePushOptions {
  /**
   * Which payloads are decrypted with the device's keys. 'all' (tests that check encryption). A
   * sample for volume runs: a real push service never decrypts (it cannot), so decrypting each of
   * 45,000 pushes would measure this fake, not the sender; the first `first` and then one in
   * `every` are decrypted, the rest have their headers and body shape checked (`checkPushShape`).
   */
  decrypt?: 'all' | { first: number; every: number }
  /** Called for each accepted push (the bench counts devices and Topics without keeping them all). */
  onAccepted?: (push: { path: string; topic: string | undefined }) => void
}

/**
 * A local push service speaking RFC 8030: POST /push/<device> with an encrypted body. Like a real
 * one it verifies each distinct VAPID token once (ES256 and audience) and then only its expiry, and
 * checks every request's headers and body shape. It decrypts with the device's keys (all pushes
 * unless `decrypt` says a sample) and answers 201, or 410 for a device marked gone, 500 for a
 * device marked flaky (n times), or no answer at all for a device whose answers are swallowed.
 */
export async function startFakePushService(opts: FakePushOptions = {}) {
  const decryptAll = opts.decrypt === undefined || opts.decrypt === 'all'
  const sample = decryptAll ? { first: 0, every: 1 } : (opts.decrypt as { first: number; every: number })
  /** Sockets opened to this service: keep-alive reuse shows as far fewer sockets than requests. */
  const stats = {
    connections: 0,
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    /** Pushes answered 201. */
    accepted: 0,
    /** Of those, how many were decrypted with the device's keys (every one of them valid). */
    decrypted: 0,
    /** Distinct VAPID tokens whose signature was verified (once each). */
    vapidTokensVerified: 0,
    /** Requests accepted and never answered (`swallowNext`). */
    swallowed: 0,
  }
  let answerDelayMs = 0
  let throttled = { left: 0, retryAfter: '1' }
  /** Called right after an answer is written (a test can stall the event loop there). */
  let onAnswered: (() => void) | undefined
  const devices = new Map<string, ReturnType<typeof makeDeviceKeys>>()
  const gone = new Set<string>()
  const flaky = new Map<string, number>()
  const swallow = new Map<string, number>()
  const redirects = new Map<string, string>()
  /** A verified VAPID token and what it said, by the whole Authorization header. */
  const vapidTokens = new Map<string, { subject: string; expiresAt: number }>()
  const received: ReceivedPush[] = []
  const errors: string[] = []
  let audience = ''
  const vapidOf = (authorization: string) => {
    const known = vapidTokens.get(authorization)
    if (known) {
      if (known.expiresAt < Date.now()) throw new Error('expired JWT')
      return known.subject
    }
    const verified = verifyVapid(authorization, audience)
    vapidTokens.set(authorization, verified)
    stats.vapidTokensVerified++
    return verified.subject
  }
  const server: Server = createServer((req, res) => {
    stats.requests++
    stats.inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    res.on('finish', () => onAnswered?.())
    // 'close', not 'finish': a request never answered (`swallowNext`) ends when its socket does.
    res.on('close', () => stats.inFlight--)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => (answerDelayMs > 0 ? setTimeout(answer, answerDelayMs) : answer()))
    const answer = () => {
      const path = req.url ?? ''
      const device = path.replace('/push/', '')
      try {
        if (throttled.left > 0) {
          throttled.left--
          return void res.writeHead(429, { 'retry-after': throttled.retryAfter }).end('slow down')
        }
        if (gone.has(device)) return void res.writeHead(410).end()
        const location = redirects.get(device)
        if (location) return void res.writeHead(303, { location }).end()
        const left = flaky.get(device) ?? 0
        if (left > 0) {
          flaky.set(device, left - 1)
          return void res.writeHead(500).end('try later')
        }
        const keys = devices.get(device)
        if (!keys) return void res.writeHead(404).end()
        const body = Buffer.concat(chunks)
        checkPushShape(req.headers, body)
        const vapidSubject = vapidOf(String(req.headers.authorization ?? ''))
        const n = stats.accepted
        if (decryptAll || n < sample.first || (n - sample.first) % sample.every === 0) {
          const plaintext = decryptAes128gcm(body, keys)
          stats.decrypted++
          received.push({ path, headers: req.headers, plaintext, vapidSubject })
        }
        stats.accepted++
        const topic = req.headers.topic === undefined ? undefined : String(req.headers.topic)
        opts.onAccepted?.({ path, topic })
        const swallowLeft = swallow.get(device) ?? 0
        if (swallowLeft > 0) {
          // Accepted (it will reach the device), but the answer is lost: the request hangs until the
          // sender gives up, as when a connection dies after the service stored the message.
          swallow.set(device, swallowLeft - 1)
          stats.swallowed++
          return
        }
        res.writeHead(201).end()
      } catch (err) {
        errors.push(String((err as Error).message))
        res.writeHead(400).end(String((err as Error).message))
      }
    }
  })
  server.on('connection', () => stats.connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  audience = `http://127.0.0.1:${port}`
  return {
    received,
    errors,
    /** Registers a fake device; returns what its browser would send to POST /api/push/subscriptions. */
    addDevice(name: string) {
      const keys = makeDeviceKeys()
      devices.set(name, keys)
      return { endpoint: `http://127.0.0.1:${port}/push/${name}`, keys: keys.subscriptionKeys }
    },
    markGone: (name: string) => gone.add(name),
    /** The device's endpoint answers 303 See Other to `location` (an SSRF attempt, F7). */
    redirect: (name: string, location: string) => redirects.set(name, location),
    failNext: (name: string, times: number) => flaky.set(name, times),
    /** The next `times` pushes to the device are accepted but never answered. */
    swallowNext: (name: string, times: number) => swallow.set(name, times),
    stats,
    /** Every answer comes this late (a push service under load). */
    setAnswerDelay: (ms: number) => {
      answerDelayMs = ms
    },
    /** The next `times` requests, to any device, get 429 Too Many Requests with this Retry-After. */
    throttle: (times: number, retryAfter: string) => {
      throttled = { left: times, retryAfter }
    },
    onAnswered: (hook: (() => void) | undefined) => {
      onAnswered = hook
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections() // requests left unanswered (`swallowNext`) must not hold it open
      }),
  }
}
