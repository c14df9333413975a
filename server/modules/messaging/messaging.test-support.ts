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
  del(url: string): Promise<{ status: number; body: Json }>
}

export async function callerFor(
  t: TestContext,
  user: { id: string; kind: 'resident' | 'staff' },
): Promise<Caller> {
  const session = await signInAs(t.app, user)
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
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
    del: (url) => call('DELETE', url),
  }
}

/** A fresh client idempotency key, as the web client makes one per message. */
export const key = () => `k-${randomUUID()}`
