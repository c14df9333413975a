import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { type CheckedPushEndpoint, guardedLookup, PushEndpointRefused } from './push-endpoint'

export interface PushResponse {
  status: number
  /** The start of the body, for the log. */
  body: string
  retryAfter: string | undefined
}

/**
 * A request that got no answer. `notSent`: it never reached the service whole (connection refused,
 * reset before the body was written), so sending again cannot make a duplicate. Otherwise the
 * service had the whole request and may have accepted it: the outcome is unknown.
 */
export class PushTransportError extends Error {
  override name = 'PushTransportError'
  constructor(
    message: string,
    readonly notSent: boolean,
    options?: { cause: unknown },
  ) {
    super(message, options)
  }
}

export interface PushTransportOptions {
  /** How long a request may wait for an answer. Far above a push service's answer time under load. */
  timeoutMs: number
  /** Open connections per push-service origin (the concurrency bound sits in front of this). */
  maxSocketsPerOrigin: number
}

/**
 * HTTP(S) to push services with one keep-alive agent per origin: thousands of pushes to FCM ride a
 * few dozen connections instead of a TLS handshake each. The guarded DNS lookup runs whenever a
 * connection is made, so a reused connection is one whose address was checked when it opened.
 */
export class PushTransport {
  private readonly agents = new Map<string, HttpAgent>()

  constructor(private readonly opts: PushTransportOptions) {}

  async post(
    target: CheckedPushEndpoint,
    headers: Record<string, string | number>,
    body: Buffer | null,
  ): Promise<PushResponse> {
    try {
      return await this.attempt(target, headers, body)
    } catch (err) {
      // A keep-alive connection the service closed just as we reused it: the request was never
      // read (a server closes only idle connections), so one more try on a fresh one is safe.
      if (err instanceof PushTransportError && err.notSent && isStaleKeepAlive(err.cause))
        return this.attempt(target, headers, body)
      throw err
    }
  }

  /** Closes every pooled connection (the server is stopping). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy()
    this.agents.clear()
  }

  private agentFor(url: URL, allowInternal: boolean): HttpAgent {
    const key = `${url.origin}|${allowInternal}`
    let agent = this.agents.get(key)
    if (!agent) {
      const options = {
        keepAlive: true,
        maxSockets: this.opts.maxSocketsPerOrigin,
        maxFreeSockets: this.opts.maxSocketsPerOrigin,
        scheduling: 'lifo' as const,
      }
      agent = url.protocol === 'https:' ? new HttpsAgent(options) : new HttpAgent(options)
      this.agents.set(key, agent)
    }
    return agent
  }

  private attempt(
    target: CheckedPushEndpoint,
    headers: Record<string, string | number>,
    body: Buffer | null,
  ): Promise<PushResponse> {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest
    const { timeoutMs } = this.opts
    return new Promise((resolve, reject) => {
      let bodySent = false
      let response: IncomingMessage | undefined
      const req = request(
        target.url,
        {
          method: 'POST',
          agent: this.agentFor(target.url, target.allowInternal),
          headers: { ...headers, 'content-length': String(body?.length ?? 0) },
          lookup: guardedLookup(target.allowInternal),
        },
        (res) => {
          response = res
          const chunks: Buffer[] = []
          let size = 0
          const done = () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              retryAfter: headerValue(res.headers['retry-after']),
            })
          res.on('data', (c: Buffer) => {
            // Only the start of an error body is kept for the log.
            if (size < 4096) chunks.push(c)
            size += c.length
          })
          res.on('end', done)
          // The status line arrived: the answer is known even if the body is cut off.
          res.on('aborted', done)
          res.on('error', done)
        },
      )
      req.setTimeout(timeoutMs, () => {
        // Timers run before the event loop reads sockets: after a stall (a long synchronous query,
        // a loaded machine) the answer may already be waiting in the socket. Read it first, and
        // only then call it a timeout — else an accepted push is retried and the device gets two.
        setImmediate(() => {
          if (!response) req.destroy(new Error(`push service did not answer in ${timeoutMs} ms`))
        })
      })
      req.on('finish', () => {
        bodySent = true
      })
      req.on('error', (err) => {
        if (err instanceof PushEndpointRefused) return reject(err)
        const notSent = !bodySent || (req.reusedSocket && isStaleKeepAlive(err))
        reject(new PushTransportError(err.message, notSent, { cause: err }))
      })
      req.end(body ?? undefined)
    })
  }
}

function isStaleKeepAlive(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  return code === 'ECONNRESET' || code === 'EPIPE'
}

const headerValue = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)
