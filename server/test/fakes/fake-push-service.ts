import { createDecipheriv, createECDH, createHmac, createVerify, randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedPush {
  path: string
  headers: Record<string, string | string[] | undefined>
  /** The decrypted payload, proving the message was encrypted for this subscription's keys. */
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
function verifyVapid(authorization: string, audience: string): string {
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
  return claims.sub
}

/**
 * A local push service speaking RFC 8030: POST /push/<device> with an encrypted body.
 * It decrypts with the device's keys and answers 201, or 410 for a device marked gone,
 * or 500 for a device marked flaky (n times).
 */
export async function startFakePushService() {
  /** Sockets opened to this service: keep-alive reuse shows as far fewer sockets than requests. */
  const stats = { connections: 0, requests: 0, inFlight: 0, maxInFlight: 0 }
  let answerDelayMs = 0
  let throttled = { left: 0, retryAfter: '1' }
  /** Called right after an answer is written (a test can stall the event loop there). */
  let onAnswered: (() => void) | undefined
  const devices = new Map<string, ReturnType<typeof makeDeviceKeys>>()
  const gone = new Set<string>()
  const flaky = new Map<string, number>()
  const redirects = new Map<string, string>()
  const received: ReceivedPush[] = []
  const errors: string[] = []
  const server: Server = createServer((req, res) => {
    stats.requests++
    stats.inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight)
    res.on('finish', () => {
      stats.inFlight--
      onAnswered?.()
    })
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => (answerDelayMs > 0 ? setTimeout(answer, answerDelayMs) : answer()))
    const answer = () => {
      const device = (req.url ?? '').replace('/push/', '')
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
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error('Content-Encoding must be aes128gcm')
        if (!req.headers.ttl) throw new Error('TTL header missing')
        const { port } = server.address() as AddressInfo
        const vapidSubject = verifyVapid(String(req.headers.authorization ?? ''), `http://127.0.0.1:${port}`)
        const plaintext = decryptAes128gcm(Buffer.concat(chunks), keys)
        received.push({ path: req.url ?? '', headers: req.headers, plaintext, vapidSubject })
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
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
