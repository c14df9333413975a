import { hasUnsafeText, UNSAFE_TEXT_CODE, UNSAFE_TEXT_MESSAGE_KEY } from '@common/schemas/text'
import type { FastifyInstance } from 'fastify'
import { AppError } from './errors'

/** Deeper than any request shape the API publishes; a 10,000-deep document stops here. */
const MAX_DEPTH = 32

type Finding = { field: string; code: string; messageKey: string }

/**
 * Walks one decoded request part (params, query or JSON body) without recursion and returns the
 * first value the database could not hold: a string with NUL or a lone surrogate (in a value or a
 * key), or nesting past MAX_DEPTH. Field names follow the problem handler: `items.0.name`.
 */
export function findUnsafeInput(root: unknown, rootName: string): Finding | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }]
  while (stack.length) {
    const { value, path } = stack.pop() as { value: unknown; path: string[] }
    const field = path.length ? path.join('.') : rootName
    if (typeof value === 'string') {
      if (hasUnsafeText(value)) return { field, code: UNSAFE_TEXT_CODE, messageKey: UNSAFE_TEXT_MESSAGE_KEY }
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (path.length >= MAX_DEPTH) return { field, code: 'too_deep', messageKey: 'field.too_deep' }
    if (Buffer.isBuffer(value)) continue
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key]
      if (hasUnsafeText(key)) {
        return { field: childPath.join('.'), code: UNSAFE_TEXT_CODE, messageKey: UNSAFE_TEXT_MESSAGE_KEY }
      }
      stack.push({ value: child, path: childPath })
    }
  }
  return null
}

/**
 * The query string's first key or value that is not valid percent-encoded UTF-8 (`%E0%A4%A`, a
 * lone surrogate as `%ED%A0%80`). Fastify's parser keeps such a value as its raw text; the API
 * refuses it like a bad path (400), instead of treating `%ED%A0%80` as the text it spells.
 */
export function findBadQueryEncoding(url: string): Finding | null {
  const start = url.indexOf('?')
  if (start === -1) return null
  for (const part of url.slice(start + 1).split('&')) {
    const [key = '', value = ''] = part.split('=', 2)
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text.replace(/\+/g, ' '))
      } catch {
        return null
      }
    }
    const name = decode(key)
    if (name === null || decode(value) === null)
      return { field: name ?? 'query', code: 'bad_encoding', messageKey: 'field.bad_encoding' }
  }
  return null
}

/**
 * Input at the edge: before any route schema runs, every path parameter, query value and JSON
 * body field is checked with the shared text rule (common/schemas/text.ts). A NUL byte or a lone
 * surrogate anywhere becomes a 400 problem naming the field, instead of a database error (500)
 * that would log the statement's parameters.
 */
export function registerEdgeGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const badQuery = findBadQueryEncoding(request.url)
    if (badQuery) throw new AppError('validation', undefined, { fields: [badQuery] })
    const parts: [unknown, string][] = [
      [request.params, 'params'],
      [request.query, 'query'],
      [request.body, 'body'],
    ]
    for (const [value, name] of parts) {
      const finding = findUnsafeInput(value, name)
      if (finding) throw new AppError('validation', undefined, { fields: [finding] })
    }
  })
}
