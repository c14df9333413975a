import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One Send API call as the fake received it. */
export interface GraphSend {
  version: string
  accessToken: string | null
  body: {
    recipient?: { id?: string }
    messaging_type?: string
    tag?: string
    message?: { text?: string; quick_replies?: { content_type: string; title: string; payload: string }[] }
  }
}

export interface GraphFailure {
  status: number
  error: { message: string; type: string; code: number; error_subcode?: number }
}

/** Graph API errors as Meta documents them (code, subcode), for the failure paths. */
export const graphErrors = {
  tokenExpired: {
    status: 400,
    error: { message: 'Error validating access token', type: 'OAuthException', code: 190 },
  },
  outsideWindow: {
    status: 400,
    error: {
      message: '(#10) This message is sent outside of allowed window.',
      type: 'OAuthException',
      code: 10,
      error_subcode: 2018278,
    },
  },
  rateLimited: {
    status: 400,
    error: {
      message: '(#613) Calls to this api have exceeded the rate limit.',
      type: 'OAuthException',
      code: 613,
    },
  },
  serverError: {
    status: 500,
    error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2 },
  },
} satisfies Record<string, GraphFailure>

/**
 * A local stand-in for the Messenger Send API (`POST /{version}/me/messages?access_token=…`). It checks
 * the page token and the request shape as the real one does, records every call, and can be told to
 * fail the next calls. No test call leaves the machine.
 */
export class FakeGraphApi {
  readonly sends: GraphSend[] = []
  private readonly failures: GraphFailure[] = []
  private server: Server | undefined
  private counter = 0
  /** Page access tokens the fake accepts; others get error 190. */
  readonly validTokens = new Set<string>()

  /** The next n calls fail with this error (after the token check). */
  failNext(failure: GraphFailure, times = 1) {
    for (let i = 0; i < times; i++) this.failures.push(failure)
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake')
        const match = /^\/(v\d+\.\d+)\/me\/messages$/.exec(url.pathname)
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        }
        if (req.method !== 'POST' || !match)
          return reply(404, { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } })
        let body: GraphSend['body']
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        } catch {
          return reply(400, { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } })
        }
        const accessToken = url.searchParams.get('access_token')
        this.sends.push({ version: match[1]!, accessToken, body })
        if (!accessToken || !this.validTokens.has(accessToken))
          return reply(graphErrors.tokenExpired.status, { error: graphErrors.tokenExpired.error })
        if (!body.recipient?.id || !body.message)
          return reply(400, {
            error: { message: 'param recipient/message required', type: 'OAuthException', code: 100 },
          })
        const failure = this.failures.shift()
        if (failure) return reply(failure.status, { error: failure.error })
        reply(200, { recipient_id: body.recipient.id, message_id: `m_fake_${++this.counter}` })
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  async stop() {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
