import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeZaloOAuth } from './fake-zalo-oauth'
import { parseMultipart } from './multipart'

export interface ZaloSend {
  accessToken: string | null
  body: {
    recipient?: { user_id?: string }
    message?: {
      text?: string
      attachment?: {
        type?: string
        payload?: {
          buttons?: { title: string; type: string; payload: string }[]
          template_type?: string
          elements?: { media_type?: string; attachment_id?: string; url?: string }[]
        }
      }
    }
  }
}

/** One image `POST /v2.0/oa/upload/image` accepted. */
export interface ZaloUpload {
  attachmentId: string
  accessToken: string
  filename: string | null
  contentType: string | null
  data: Buffer
}

/** The OA image upload takes JPG or PNG up to 1 MB. */
const UPLOAD_MAX_BYTES = 1024 * 1024

export interface ZaloRefresh {
  secretKey: string | null
  form: Record<string, string>
}

/**
 * A local stand-in for the Zalo OA Open API (image upload, `POST /v2.0/oa/upload/image` multipart
 * `file`; consultation messages, `POST /v3.0/oa/message/cs` with an
 * `access_token` header; follower profiles, `GET /v3.0/oa/user/detail?data={"user_id":…}`) and Zalo OAuth v4 (`POST /v4/oa/access_token`, single-use refresh tokens).
 * Errors come as Zalo sends them: HTTP 200 with `error` < 0 (-216 invalid token, -230 window closed).
 */
export class FakeZaloApi {
  readonly sends: ZaloSend[] = []
  /** Images uploaded for consultation messages, in order; a refused upload keeps nothing. */
  readonly uploads: ZaloUpload[] = []
  uploadCalls = 0
  private readonly uploadFailures: { error: number; message: string }[] = []
  readonly refreshes: ZaloRefresh[] = []
  readonly validTokens = new Set<string>()
  /** Followers' Zalo display names (`GET /v3.0/oa/user/detail`). */
  readonly profiles = new Map<string, string>()
  readonly profileCalls: string[] = []
  /** Files served at `/cdn/<name>`, as the links in image webhooks point to the platform's CDN. */
  readonly cdn = new Map<string, { type: string; body: Buffer }>()
  readonly cdnHits: string[] = []
  /** Set by start(): the base of this fake, for CDN links. */
  baseUrl = ''
  /** Access tokens issued (consent or refresh), in order: the newest is the one the OA API should get. */
  readonly issuedTokens: string[] = []
  /** refresh token → the app secret key it belongs to. */
  readonly refreshTokens = new Map<string, string>()
  /** The consent page and the authorization-code grant ("connect with Zalo"). */
  readonly oauth = new FakeZaloOAuth((secretKey) => this.issueTokens(secretKey))
  private readonly failures: { error: number; message: string }[] = []
  private server: Server | undefined
  private counter = 0

  failNext(error: number, message = 'error', times = 1) {
    for (let i = 0; i < times; i++) this.failures.push({ error, message })
  }

  /** The next n image uploads fail with this Zalo error (after the token and form checks). */
  failNextUpload(error: number, message = 'error', times = 1) {
    for (let i = 0; i < times; i++) this.uploadFailures.push({ error, message })
  }

  /**
   * POST /v2.0/oa/upload/image, multipart `file` (JPG/PNG, at most 1 MB), `access_token` header:
   * `{error: 0, data: {attachment_id}}`, or Zalo's negative codes.
   */
  private upload(accessToken: string | null, contentType: string | undefined, raw: Buffer) {
    this.uploadCalls++
    if (!accessToken || !this.validTokens.has(accessToken))
      return { error: -216, message: 'Access token is invalid' }
    const file = parseMultipart(contentType, raw)?.find((p) => p.name === 'file')
    if (!file?.data.length) return { error: -201, message: 'Parameters are invalid' }
    const jpeg = file.data[0] === 0xff && file.data[1] === 0xd8
    const png = file.data.subarray(0, 4).toString('latin1') === '\x89PNG'
    if (!jpeg && !png) return { error: -201, message: 'Image type is not supported' }
    if (file.data.length > UPLOAD_MAX_BYTES) return { error: -201, message: 'Image size exceeds 1MB' }
    const failure = this.uploadFailures.shift()
    if (failure) return failure
    const attachmentId = `zatt_${randomBytes(6).toString('hex')}`
    this.uploads.push({
      attachmentId,
      accessToken,
      filename: file.filename,
      contentType: file.contentType,
      data: file.data,
    })
    return { error: 0, message: 'Success', data: { attachment_id: attachmentId } }
  }

  /** A new access token the OA API accepts and a single-use refresh token of the app. */
  private issueTokens(secretKey: string) {
    const accessToken = `zat-${randomBytes(8).toString('hex')}`
    const refreshToken = `zrt-${randomBytes(8).toString('hex')}`
    this.validTokens.add(accessToken)
    this.issuedTokens.push(accessToken)
    this.refreshTokens.set(refreshToken, secretKey)
    return { accessToken, refreshToken }
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const bytes = Buffer.concat(chunks)
        const raw = bytes.toString('utf8')
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        const url = new URL(req.url ?? '/', 'http://fake')
        if (this.oauth.handle(req, res, url, raw)) return
        if (req.method === 'POST' && url.pathname === '/v2.0/oa/upload/image')
          return reply(
            200,
            this.upload(
              (req.headers.access_token as string | undefined) ?? null,
              req.headers['content-type'],
              bytes,
            ),
          )
        if (req.method === 'POST' && url.pathname === '/v3.0/oa/message/cs') {
          let body: ZaloSend['body']
          try {
            body = JSON.parse(raw)
          } catch {
            return reply(200, { error: -201, message: 'Parameters are invalid' })
          }
          const accessToken = (req.headers.access_token as string | undefined) ?? null
          this.sends.push({ accessToken, body })
          if (!accessToken || !this.validTokens.has(accessToken))
            return reply(200, { error: -216, message: 'Access token is invalid' })
          if (!body.recipient?.user_id || !body.message)
            return reply(200, { error: -201, message: 'Parameters are invalid' })
          const media = body.message.attachment?.payload
          if (
            media?.template_type === 'media' &&
            !media.elements?.every(
              (e) => e.media_type === 'image' && this.uploads.some((u) => u.attachmentId === e.attachment_id),
            )
          )
            return reply(200, { error: -201, message: 'Parameters are invalid' })
          const failure = this.failures.shift()
          if (failure) return reply(200, failure)
          return reply(200, {
            error: 0,
            message: 'Success',
            data: { message_id: `zmsg_${++this.counter}`, user_id: body.recipient.user_id },
          })
        }
        // The CDN behind attachment links (zdn.vn in real life): files the test put there, else 404.
        if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) {
          this.cdnHits.push(url.pathname)
          const file = this.cdn.get(url.pathname.slice('/cdn/'.length))
          if (!file) return reply(404, { error: -404, message: 'Not found' })
          res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length) })
          return res.end(file.body)
        }
        if (req.method === 'GET' && url.pathname === '/v3.0/oa/user/detail') {
          const accessToken = (req.headers.access_token as string | undefined) ?? null
          if (!accessToken || !this.validTokens.has(accessToken))
            return reply(200, { error: -216, message: 'Access token is invalid' })
          let userId = ''
          try {
            userId = String(JSON.parse(url.searchParams.get('data') ?? '{}').user_id ?? '')
          } catch {
            return reply(200, { error: -201, message: 'Parameters are invalid' })
          }
          this.profileCalls.push(userId)
          const name = this.profiles.get(userId)
          if (!name) return reply(200, { error: -213, message: 'User has not followed OA' })
          return reply(200, {
            error: 0,
            message: 'Success',
            data: { user_id: userId, display_name: name, user_is_follower: true },
          })
        }
        if (req.method === 'POST' && url.pathname === '/v4/oa/access_token') {
          const form = Object.fromEntries(new URLSearchParams(raw))
          const secretKey = (req.headers.secret_key as string | undefined) ?? null
          this.refreshes.push({ secretKey, form })
          const owner = this.refreshTokens.get(form.refresh_token ?? '')
          if (form.grant_type !== 'refresh_token' || !owner || owner !== secretKey)
            return reply(200, {
              error: -14014,
              error_name: 'Invalid refresh token',
              error_reason: 'refresh token is invalid',
            })
          this.refreshTokens.delete(form.refresh_token!)
          const { accessToken, refreshToken } = this.issueTokens(owner)
          return reply(200, { access_token: accessToken, refresh_token: refreshToken, expires_in: '90000' })
        }
        reply(404, { error: -404, message: 'Not found' })
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve))
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.baseUrl
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
