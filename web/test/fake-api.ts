import { vi } from 'vitest'

/** One request the page made, as the server would see it. */
export interface SeenRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: Record<string, string>
  body: unknown
}

type Reply = { status?: number; body?: unknown } | undefined
type Handler = (req: SeenRequest) => Reply | Promise<Reply>

export const problem = (status: number, title: string, errors?: { field: string; message: string }[]) => ({
  status,
  body: { type: 'about:blank', title, status, ...(errors ? { errors } : {}) },
})

/**
 * The NhipCau API as the page sees it through `fetch`: routes answer JSON (problems as
 * application/problem+json), anything unrouted is a 404, and `offline` makes every request fail
 * the way a browser's fetch does without a network.
 */
export class FakeApi {
  readonly requests: SeenRequest[] = []
  offline = false
  private readonly routes: { method: string; path: string | RegExp; handler: Handler }[] = []

  on(method: string, path: string | RegExp, handler: Handler | Reply): this {
    this.routes.unshift({ method, path, handler: typeof handler === 'function' ? handler : () => handler })
    return this
  }

  sent(method: string, path: string): SeenRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path)
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    if (this.offline) throw new TypeError('Failed to fetch')
    const url = new URL(String(input), 'http://nhipcau.test')
    const method = (init.method ?? 'GET').toUpperCase()
    const body =
      typeof init.body === 'string'
        ? JSON.parse(init.body)
        : init.body instanceof FormData
          ? Object.fromEntries([...init.body.keys()].map((k) => [k, (init.body as FormData).getAll(k)]))
          : undefined
    const req: SeenRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers: { ...(init.headers as Record<string, string>) },
      body,
    }
    this.requests.push(req)
    const route = this.routes.find(
      (r) =>
        r.method === method &&
        (typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname)),
    )
    const reply = (await route?.handler(req)) ?? problem(404, 'Not Found')
    const status = reply.status ?? 200
    if (status === 204) return new Response(null, { status })
    return new Response(JSON.stringify(reply.body ?? null), {
      status,
      headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
    })
  }
}

/** Puts a FakeApi behind the page's `fetch` for this test file (restored by vi.unstubAllGlobals). */
export function installFakeApi(): FakeApi {
  const api = new FakeApi()
  vi.stubGlobal('fetch', api.fetch)
  return api
}
