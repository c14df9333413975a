import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, apiFetch, NETWORK_ERROR_TYPE } from './client'

function mockFetch(response: Response | Error) {
  const fn = vi.fn(async (_url: string, _init?: RequestInit) => {
    if (response instanceof Error) throw response
    return response
  })
  vi.stubGlobal('fetch', fn)
  return fn
}

const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('apiFetch', () => {
  it('sends JSON with same-origin credentials and returns the parsed body', async () => {
    const fetch = mockFetch(json({ id: 't1' }, 201))
    const result = await apiFetch<{ id: string }>('/api/tips', { method: 'POST', body: { text: 'xe lạ' } })
    expect(result).toEqual({ id: 't1' })
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/api/tips')
    expect(init?.method).toBe('POST')
    expect(init?.credentials).toBe('same-origin')
    expect(init?.body).toBe('{"text":"xe lạ"}')
    const headers = (init?.headers ?? {}) as Record<string, string>
    expect(headers['content-type']).toBe('application/json')
  })

  it('adds the CSRF token from the nhipcau_csrf cookie', async () => {
    vi.stubGlobal('document', { cookie: 'other=1; nhipcau_csrf=abc%3D123', documentElement: { lang: 'vi' } })
    const fetch = mockFetch(json({}))
    await apiFetch('/api/me')
    const headers = (fetch.mock.calls[0]![1]?.headers ?? {}) as Record<string, string>
    expect(headers['x-csrf-token']).toBe('abc=123')
    expect(headers['accept-language']).toBe('vi')
  })

  it('validates the body with the schema when one is given', async () => {
    mockFetch(json({ count: '3' }))
    const schema = { parse: (data: unknown) => ({ count: Number((data as { count: string }).count) }) }
    await expect(apiFetch('/api/x', { schema })).resolves.toEqual({ count: 3 })
  })

  it('returns undefined for 204 No Content', async () => {
    mockFetch(new Response(null, { status: 204 }))
    await expect(apiFetch('/api/x', { method: 'DELETE' })).resolves.toBeUndefined()
  })

  it('turns a problem+json answer into an ApiError with field errors', async () => {
    const problem = {
      type: 'urn:nhipcau:validation',
      title: 'Dữ liệu chưa hợp lệ',
      detail: 'Vui lòng kiểm tra lại',
      errors: [
        { field: 'phone', code: 'invalid_format', message: 'Số điện thoại chưa đúng' },
        { bogus: true },
      ],
    }
    mockFetch(json(problem, 422, 'application/problem+json'))
    const err = await apiFetch('/api/x', { method: 'POST', body: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    const apiErr = err as ApiError
    expect(apiErr.status).toBe(422)
    expect(apiErr.type).toBe('urn:nhipcau:validation')
    expect(apiErr.title).toBe('Dữ liệu chưa hợp lệ')
    expect(apiErr.detail).toBe('Vui lòng kiểm tra lại')
    expect(apiErr.errors).toEqual([
      { field: 'phone', code: 'invalid_format', message: 'Số điện thoại chưa đúng' },
    ])
    expect(apiErr.fieldMessage('phone')).toBe('Số điện thoại chưa đúng')
  })

  it('still gives an ApiError when the error body is not JSON', async () => {
    mockFetch(new Response('Bad gateway', { status: 502, statusText: 'Bad Gateway' }))
    const err = (await apiFetch('/api/x').catch((e: unknown) => e)) as ApiError
    expect(err).toMatchObject({ status: 502, type: 'about:blank', title: 'Bad Gateway' })
  })

  it('reports a network failure as status 0', async () => {
    mockFetch(new TypeError('fetch failed'))
    const err = (await apiFetch('/api/x').catch((e: unknown) => e)) as ApiError
    expect(err.isNetworkError).toBe(true)
    expect(err.type).toBe(NETWORK_ERROR_TYPE)
  })
})
