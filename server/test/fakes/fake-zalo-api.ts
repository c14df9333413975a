import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ZaloSend {
  accessToken: string | null
  body: {
    recipient?: { user_id?: string }
    message?: {
      text?: string
      attachment?: { payload?: { buttons?: { title: string; type: string; payload: string }[] } }
    }
  }
}

export interface ZaloRefresh {
  secretKey: string | null
  form: Record<string, string>
}

/**
 * A local stand-in for the Zalo OA Open API (consultation messages, `POST /v3.0/oa/message/cs` with an
 * `access_token` header) and Zalo OAuth v4 (`POST /v4/oa/access_token`, single-use refresh tokens).
 * Errors come as Zalo sends them: HTTP 200 with `error` < 0 (-216 invalid token, -230 window closed).
 */
export class FakeZaloApi {
  readonly sends: ZaloSend[] = []
  readonly refreshes: ZaloRefresh[] = []
  readonly validTokens = new Set<string>()
  /** refresh token → the app secret key it belongs to. */
  readonly refreshTokens = new Map<string, string>()
  private readonly failures: { error: number; message: string }[] = []
  private server: Server | undefined
  private counter = 0

  failNext(error: number, message = 'error', times = 1) {
    for (let i = 0; i < times; i++) this.failures.push({ error, message })
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        const url = new URL(req.url ?? '/', 'http://fake')
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
          const failure = this.failures.shift()
          if (failure) return reply(200, failure)
          return reply(200, {
            error: 0,
            message: 'Success',
            data: { message_id: `zmsg_${++this.counter}`, user_id: body.recipient.user_id },
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
          const accessToken = `zat-${randomBytes(8).toString('hex')}`
          const refreshToken = `zrt-${randomBytes(8).toString('hex')}`
          this.validTokens.add(accessToken)
          this.refreshTokens.set(refreshToken, owner)
          return reply(200, { access_token: accessToken, refresh_token: refreshToken, expires_in: '90000' })
        }
        reply(404, { error: -404, message: 'Not found' })
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
