import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseMultipart } from './multipart'

/** One Send API call as the fake received it. */
export interface GraphSend {
  version: string
  accessToken: string | null
  body: {
    recipient?: { id?: string }
    messaging_type?: string
    tag?: string
    message?: {
      text?: string
      quick_replies?: { content_type: string; title: string; payload: string }[]
      attachment?: { type: string; payload?: { attachment_id?: string; url?: string } }
    }
  }
}

/** One file the Attachment Upload API (`POST /{version}/me/message_attachments`) accepted. */
export interface GraphUpload {
  attachmentId: string
  accessToken: string
  type: string
  filename: string | null
  contentType: string | null
  data: Buffer
}

/** One Page feed post (`POST /{version}/{page-id}/feed`) the fake accepted. */
export interface GraphFeedPost {
  id: string
  pageId: string
  accessToken: string
  message: string | null
  link: string | null
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
  missingPostPermission: {
    status: 403,
    error: {
      message:
        '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts permission',
      type: 'OAuthException',
      code: 200,
    },
  },
  /** The app lost a permission it needs (a Page admin took it back in the Business settings). */
  permissionDenied: {
    status: 403,
    error: {
      message: '(#200) Requires pages_messaging permission to manage the object',
      type: 'OAuthException',
      code: 200,
    },
  },
  /** What Meta answers for a metric it retired (post_impressions_unique since 15 June 2025). */
  invalidMetric: {
    status: 400,
    error: { message: '(#100) The value must be a valid insights metric', type: 'OAuthException', code: 100 },
  },
  /** Insights need read_insights (and pages_read_engagement) on the Page token. */
  missingInsightsPermission: {
    status: 403,
    error: {
      message: '(#10) This endpoint requires the read_insights permission',
      type: 'OAuthException',
      code: 10,
    },
  },
  serverError: {
    status: 500,
    error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2 },
  },
} satisfies Record<string, GraphFailure>

/**
 * A local stand-in for the Messenger Send API (`POST /{version}/me/messages?access_token=…`) and its
 * Attachment Upload API (`POST /{version}/me/message_attachments`, multipart `filedata`), the
 * Page feed (`POST /{version}/{page-id}/feed`) with its posts' insights (`GET /{version}/{post-id}/insights`), the User Profile API (`GET /{version}/{PSID}?fields=…`), and the CDN behind attachment links. It checks
 * the page token and the request shape as the real one does, records every call, and can be told to
 * fail the next calls. No test call leaves the machine.
 */
export class FakeGraphApi {
  readonly sends: GraphSend[] = []
  /** Files uploaded for later sends, in order; a refused upload keeps nothing. */
  readonly uploads: GraphUpload[] = []
  uploadCalls = 0
  private readonly uploadFailures: GraphFailure[] = []
  /** Posts published on Pages, in order; a failed call publishes nothing. */
  readonly feedPosts: GraphFeedPost[] = []
  feedCalls = 0
  private readonly failures: GraphFailure[] = []
  private server: Server | undefined
  private counter = 0
  /**
   * Files served at `/cdn/<name>`: the links in Messenger attachment webhooks point to Facebook's CDN
   * (scontent…fbcdn.net), public for a while, no token needed.
   */
  readonly cdn = new Map<string, { type: string; body: Buffer }>()
  readonly cdnHits: string[] = []
  /** Set by start(): the base of this fake, for CDN links. */
  baseUrl = ''
  /** Page access tokens the fake accepts; others get error 190. */
  readonly validTokens = new Set<string>()

  /**
   * Post insights: post id → people reached (`post_total_media_view_unique`, lifetime). A post with
   * no entry has no figure yet (`data: []`, as for a Page under 100 likes).
   */
  readonly reach = new Map<string, number>()
  readonly insightsCalls: { postId: string; metric: string | null; accessToken: string | null }[] = []
  /** Metrics Meta retired: asking for one is an invalid-metric error. */
  static readonly RETIRED_METRICS = new Set([
    'post_impressions_unique',
    'post_impressions',
    'post_impressions_paid_unique',
  ])

  /** The User Profile API's people: page-scoped id → their name on Facebook. */
  readonly profiles = new Map<string, { first_name: string; last_name: string }>()
  readonly profileCalls: { psid: string; fields: string | null; accessToken: string | null }[] = []

  /** GET /{version}/{PSID}?fields=…&access_token=…: the person's public profile, as Meta documents it. */
  private profile(url: URL, reply: (status: number, body: unknown) => void) {
    const match = /^\/v\d+\.\d+\/(\d+)$/.exec(url.pathname)
    const accessToken = url.searchParams.get('access_token')
    if (match)
      this.profileCalls.push({ psid: match[1]!, fields: url.searchParams.get('fields'), accessToken })
    if (!accessToken || !this.validTokens.has(accessToken))
      return reply(graphErrors.tokenExpired.status, { error: graphErrors.tokenExpired.error })
    const person = match ? this.profiles.get(match[1]!) : undefined
    if (!person)
      return reply(400, {
        error: {
          message: 'Unsupported get request.',
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        },
      })
    const fields = (url.searchParams.get('fields') ?? 'name').split(',')
    const all: Record<string, string> = {
      id: match![1]!,
      name: `${person.first_name} ${person.last_name}`,
      first_name: person.first_name,
      last_name: person.last_name,
    }
    reply(200, Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || fields.includes(k))))
  }

  /**
   * GET /{version}/{post-id}/insights?metric=…&access_token=…: the post's lifetime figures, in Meta's
   * shape (`data: [{ name, period, values: [{ value }], title, id }]`), or its errors.
   */
  private insights(postId: string, url: URL, reply: (status: number, body: unknown) => void) {
    const accessToken = url.searchParams.get('access_token')
    const metric = url.searchParams.get('metric')
    this.insightsCalls.push({ postId, metric, accessToken })
    if (!accessToken || !this.validTokens.has(accessToken))
      return reply(graphErrors.tokenExpired.status, { error: graphErrors.tokenExpired.error })
    if (!metric)
      return reply(400, {
        error: {
          message:
            'No metric was specified to be fetched. Please specify one or more metrics to be fetched and try again.',
          type: 'OAuthException',
          code: 3001,
          error_subcode: 1504028,
        },
      })
    const names = metric.split(',')
    if (names.some((m) => FakeGraphApi.RETIRED_METRICS.has(m) || !/^post_[a-z_]+$/.test(m)))
      return reply(graphErrors.invalidMetric.status, { error: graphErrors.invalidMetric.error })
    if (!this.feedPosts.some((p) => p.id === postId))
      return reply(400, {
        error: {
          message: `Unsupported get request. Object with ID '${postId}' does not exist`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
        },
      })
    const failure = this.failures.shift()
    if (failure) return reply(failure.status, { error: failure.error })
    const reached = this.reach.get(postId)
    if (reached === undefined) return reply(200, { data: [] })
    reply(200, {
      data: names
        .filter((m) => m === 'post_total_media_view_unique')
        .map((name) => ({
          name,
          period: 'lifetime',
          values: [{ value: reached }],
          title: 'Lifetime Post Total Unique Media Views',
          id: `${postId}/insights/${name}/lifetime`,
        })),
    })
  }

  /** POST /{version}/{page-id}/feed: needs the page token and a message or link; returns {id: "{page}_{post}"}. */
  private feed(pageId: string, url: URL, raw: string, reply: (status: number, body: unknown) => void) {
    this.feedCalls++
    const accessToken = url.searchParams.get('access_token')
    if (!accessToken || !this.validTokens.has(accessToken))
      return reply(graphErrors.tokenExpired.status, { error: graphErrors.tokenExpired.error })
    let body: { message?: string; link?: string }
    try {
      body = JSON.parse(raw)
    } catch {
      return reply(400, { error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } })
    }
    if (!body.message && !body.link)
      return reply(400, {
        error: { message: '(#100) Missing message or attachment.', type: 'OAuthException', code: 100 },
      })
    const failure = this.failures.shift()
    if (failure) return reply(failure.status, { error: failure.error })
    const id = `${pageId}_${++this.counter}`
    this.feedPosts.push({ id, pageId, accessToken, message: body.message ?? null, link: body.link ?? null })
    reply(200, { id })
  }

  /**
   * POST /{version}/me/message_attachments (or /{page-id}/…), multipart: `message` = JSON
   * `{attachment:{type, payload:{is_reusable}}}` and the file in `filedata`; answers `{attachment_id}`.
   */
  private upload(
    url: URL,
    contentType: string | undefined,
    raw: Buffer,
    reply: (status: number, body: unknown) => void,
  ) {
    this.uploadCalls++
    const accessToken = url.searchParams.get('access_token')
    if (!accessToken || !this.validTokens.has(accessToken))
      return reply(graphErrors.tokenExpired.status, { error: graphErrors.tokenExpired.error })
    const parts = parseMultipart(contentType, raw)
    const file = parts?.find((p) => p.name === 'filedata')
    let message: { attachment?: { type?: string } } = {}
    try {
      message = JSON.parse(parts?.find((p) => p.name === 'message')?.data.toString('utf8') ?? '{}')
    } catch {
      // Not JSON: no attachment type, refused below as Meta does.
    }
    const type = message.attachment?.type
    if (!file?.data.length || !type || !['image', 'audio', 'video', 'file'].includes(type))
      return reply(400, {
        error: {
          message: '(#100) Upload attachment failure.',
          type: 'OAuthException',
          code: 100,
          error_subcode: 2018047,
        },
      })
    const failure = this.uploadFailures.shift()
    if (failure) return reply(failure.status, { error: failure.error })
    const attachmentId = `${1_857_777_774_821_000 + ++this.counter}`
    this.uploads.push({
      attachmentId,
      accessToken,
      type,
      filename: file.filename,
      contentType: file.contentType,
      data: file.data,
    })
    reply(200, { attachment_id: attachmentId })
  }

  /** The next n uploads fail with this error (after the token and form checks). */
  failNextUpload(failure: GraphFailure, times = 1) {
    for (let i = 0; i < times; i++) this.uploadFailures.push(failure)
  }

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
        if (req.method === 'GET' && url.pathname.startsWith('/cdn/')) {
          this.cdnHits.push(url.pathname)
          const file = this.cdn.get(url.pathname.slice('/cdn/'.length))
          if (!file)
            return reply(404, { error: { message: 'Not found', type: 'GraphMethodException', code: 100 } })
          res.writeHead(200, { 'content-type': file.type, 'content-length': String(file.body.length) })
          return res.end(file.body)
        }
        const insights = /^\/v\d+\.\d+\/(\d+_\d+)\/insights$/.exec(url.pathname)
        if (req.method === 'GET' && insights) return this.insights(insights[1]!, url, reply)
        if (req.method === 'GET') return this.profile(url, reply)
        if (req.method === 'POST' && /^\/v\d+\.\d+\/(me|\d+)\/message_attachments$/.test(url.pathname))
          return this.upload(url, req.headers['content-type'], Buffer.concat(chunks), reply)
        const feed = /^\/v\d+\.\d+\/(\d+)\/feed$/.exec(url.pathname)
        if (req.method === 'POST' && feed)
          return this.feed(feed[1]!, url, Buffer.concat(chunks).toString('utf8'), reply)
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
        const attachmentId = body.message.attachment?.payload?.attachment_id
        if (
          attachmentId &&
          !this.uploads.some((u) => u.attachmentId === attachmentId && u.accessToken === accessToken)
        )
          return reply(400, {
            error: { message: '(#100) Invalid attachment_id', type: 'OAuthException', code: 100 },
          })
        if (body.message.text !== undefined && body.message.attachment)
          return reply(400, {
            error: {
              message: '(#100) Only one of text or attachment may be set',
              type: 'OAuthException',
              code: 100,
            },
          })
        const failure = this.failures.shift()
        if (failure) return reply(failure.status, { error: failure.error })
        reply(200, { recipient_id: body.recipient.id, message_id: `m_fake_${++this.counter}` })
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
