import { randomUUID } from 'node:crypto'
import { signInAs, type TestSession } from '../../test/auth-helpers'
import type { TestContext } from '../../test/test-app'

// biome-ignore lint/suspicious/noExplicitAny: route tests read JSON answers field by field, as a user would
type Json = any

/** Small helpers shared by the messaging route tests: one signed-in caller, JSON in and out. */
export interface Caller {
  session: TestSession
  get(url: string): Promise<{ status: number; body: Json }>
  post(url: string, payload?: unknown): Promise<{ status: number; body: Json }>
  patch(url: string, payload: unknown): Promise<{ status: number; body: Json }>
  put(url: string, payload: unknown): Promise<{ status: number; body: Json }>
  del(url: string): Promise<{ status: number; body: Json }>
}

export async function callerFor(
  t: TestContext,
  user: { id: string; kind: 'resident' | 'staff' },
): Promise<Caller> {
  const session = await signInAs(t.app, user)
  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: session.headers,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    })
    let body: unknown
    try {
      body = res.body ? res.json() : undefined
    } catch {
      body = res.body
    }
    return { status: res.statusCode, body }
  }
  return {
    session,
    get: (url) => call('GET', url),
    post: (url, payload) => call('POST', url, payload ?? {}),
    patch: (url, payload) => call('PATCH', url, payload),
    put: (url, payload) => call('PUT', url, payload),
    del: (url) => call('DELETE', url),
  }
}

/** A fresh client idempotency key, as the web client makes one per message. */
export const key = () => `k-${randomUUID()}`

/** Uploads one file to a conversation as the web client does (multipart field "file"). */
export async function uploadAttachment(
  t: TestContext,
  caller: Caller,
  conversationId: string,
  data: Buffer,
  opts: { filename?: string; type?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; contentType: string | undefined }> {
  const boundary = `----nhipcau${Math.random().toString(16).slice(2)}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.filename ?? 'tep'}"\r\nContent-Type: ${opts.type ?? 'application/octet-stream'}\r\n\r\n`,
  )
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/conversations/${conversationId}/attachments`,
    headers: {
      ...caller.session.headers,
      ...opts.headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
  })
  return {
    status: res.statusCode,
    body: res.json(),
    contentType: res.headers['content-type'] as string | undefined,
  }
}
