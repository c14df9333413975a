/** A field the server rejected, with a message ready to show to the user. */
export interface FieldError {
  field: string
  message: string
  /** Stable machine code of the rule that failed (e.g. "too_small"), when the server sends one. */
  code?: string
}

/** Anything with a zod-like `parse`, so callers can validate responses with common/schemas. */
export interface Schema<T> {
  parse(data: unknown): T
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface ApiFetchOptions<T> {
  method?: HttpMethod
  /** Sent as JSON, or as-is when it is FormData (uploads). */
  body?: unknown
  schema?: Schema<T>
  signal?: AbortSignal
  headers?: Record<string, string>
  /**
   * The `Idempotency-Key` of a POST. Given by callers that keep their own key for a record (the
   * outboxes' client keys, kept across reloads); otherwise apiFetch makes one per submit (below).
   */
  idempotencyKey?: string
}

/** Type used when the request never reached the server (offline, DNS, connection reset). */
export const NETWORK_ERROR_TYPE = 'urn:nhipcau:network-error'

export const CSRF_COOKIE = 'nhipcau_csrf'
export const CSRF_HEADER = 'x-csrf-token'
export const IDEMPOTENCY_HEADER = 'idempotency-key'

const KEY_FORMAT = /^[A-Za-z0-9_-]{8,100}$/

/** The `Idempotency-Key` for a record that already carries its own client key (when the server accepts its form). */
export const idempotencyKeyOf = (clientKey: string | undefined): string | undefined =>
  clientKey && KEY_FORMAT.test(clientKey) ? clientKey : undefined

const newKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

/**
 * Keys of POSTs whose answer never arrived or was a 5xx, by path and body: the same submit sent
 * again (a retry, a second tap while the first is on its way) reuses the key, so the server answers
 * it with the first record instead of making a second. A success or a refusal (4xx) ends the submit:
 * the next one, even with the same body, is a new record with a new key.
 */
const openSubmits = new Map<string, string>()
const MAX_OPEN_SUBMITS = 100

/** An RFC 9457 problem (application/problem+json) returned by the API, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  readonly errors: FieldError[] | undefined
  /** The whole problem body, for members a page reads itself (a guest list's `rows`). */
  readonly problem: Record<string, unknown>

  constructor(init: {
    status: number
    type?: string
    title: string
    detail?: string
    errors?: FieldError[]
    problem?: Record<string, unknown>
  }) {
    super(init.detail ?? init.title)
    this.name = 'ApiError'
    this.status = init.status
    this.type = init.type ?? 'about:blank'
    this.title = init.title
    this.detail = init.detail
    this.errors = init.errors
    this.problem = init.problem ?? {}
  }

  get isNetworkError(): boolean {
    return this.status === 0
  }

  /** The message for one form field, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors?.find((e) => e.field === field)?.message
  }
}

/** A 4xx that the same request would get again (not a timeout or a rate limit): never retry it. */
export const isRefusal = (err: unknown): err is ApiError =>
  err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined' || !document.cookie) return undefined
  for (const pair of document.cookie.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === name) return decodeURIComponent(pair.slice(eq + 1).trim())
  }
  return undefined
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

function toFieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined
  return value.flatMap((item: unknown) => {
    if (item === null || typeof item !== 'object') return []
    const { field, message, code } = item as Record<string, unknown>
    if (typeof field !== 'string' || typeof message !== 'string') return []
    return [typeof code === 'string' ? { field, message, code } : { field, message }]
  })
}

async function toApiError(res: Response): Promise<ApiError> {
  const contentType = res.headers.get('content-type') ?? ''
  let body: Record<string, unknown> = {}
  if (/json/i.test(contentType)) {
    try {
      const parsed: unknown = await res.json()
      if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>
    } catch {
      // Malformed error body: fall back to the status line below.
    }
  }
  return new ApiError({
    status: res.status,
    type: str(body.type),
    title: str(body.title) ?? (res.statusText || `HTTP ${res.status}`),
    detail: str(body.detail),
    errors: toFieldErrors(body.errors),
    problem: body,
  })
}

/**
 * Calls the NhipCau API (`path` such as `/api/tips`) with JSON in and out, the session cookie
 * and the CSRF token. Resolves with the parsed body (validated by `schema` when given; undefined
 * for 204) and rejects with an ApiError for any non-2xx answer or network failure.
 */
export async function apiFetch<T>(path: string, options: ApiFetchOptions<T> = {}): Promise<T> {
  const { method = 'GET', body } = options
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
  const csrf = readCookie(CSRF_COOKIE)
  if (csrf) headers[CSRF_HEADER] = csrf
  // The interface language, so that server messages come back in the language on screen.
  const lang = typeof document !== 'undefined' ? document.documentElement.lang : ''
  if (lang) headers['accept-language'] = lang

  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }

  // Multipart uploads name their record with a key inside the form (the server reads it there).
  const submit = method === 'POST' && !(body instanceof FormData) ? `${path}\n${payload ?? ''}` : null
  if (submit !== null) {
    let key = options.idempotencyKey ?? openSubmits.get(submit)
    if (!key) {
      key = newKey()
      if (openSubmits.size >= MAX_OPEN_SUBMITS) openSubmits.delete(openSubmits.keys().next().value as string)
      openSubmits.set(submit, key)
    }
    headers[IDEMPOTENCY_HEADER] = key
  } else if (method === 'POST' && options.idempotencyKey) {
    // An upload whose caller keeps its own key (the outbox's voice messages): a retry is one file.
    headers[IDEMPOTENCY_HEADER] = options.idempotencyKey
  }
  try {
    const result = await send<T>(path, method, headers, payload, options)
    if (submit !== null) openSubmits.delete(submit)
    return result
  } catch (err) {
    if (submit !== null && isRefusal(err)) openSubmits.delete(submit)
    throw err
  }
}

async function send<T>(
  path: string,
  method: HttpMethod,
  headers: Record<string, string>,
  payload: BodyInit | undefined,
  options: ApiFetchOptions<T>,
): Promise<T> {
  const { schema, signal } = options

  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers: { ...headers, ...options.headers },
      body: payload,
      credentials: 'same-origin',
      signal,
    })
  } catch (err) {
    if (signal?.aborted) throw err
    throw new ApiError({ status: 0, type: NETWORK_ERROR_TYPE, title: 'Network error', detail: String(err) })
  }

  if (!res.ok) throw await toApiError(res)
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T
  const contentType = res.headers.get('content-type') ?? ''
  const data: unknown = /json/i.test(contentType) ? await res.json() : await res.text()
  return schema ? schema.parse(data) : (data as T)
}
