import { randomUUID } from 'node:crypto'
import type { App } from '../app'

/**
 * Walking `/api/openapi.json`: the operations as a client sees them, and request values built
 * from their published schemas. The access test, the hostile-input walk and the client-key test
 * share it, so what they check is the contract itself, not a list kept by hand.
 */

export type JsonSchema = {
  type?: string | string[]
  format?: string
  pattern?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  required?: string[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  [key: string]: unknown
}

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema: JsonSchema
}

export interface Operation {
  /** Upper case: GET, POST… */
  method: string
  /** The OpenAPI path: /api/alerts/{id}/answers */
  path: string
  /** "POST /api/alerts/{id}/answers", how tests name an operation. */
  key: string
  parameters: Parameter[]
  /** The JSON body's schema, when the operation publishes one. */
  body?: JsonSchema
  bodyRequired: boolean
  security?: Record<string, string[]>[]
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>
  raw: Record<string, unknown>
}

export interface OpenApiDocument {
  components?: { securitySchemes?: Record<string, Record<string, unknown>> }
  paths: Record<string, Record<string, Record<string, unknown>>>
}

export async function loadOpenApi(app: App): Promise<OpenApiDocument> {
  const res = await app.inject('/api/openapi.json')
  if (res.statusCode !== 200) throw new Error(`openapi.json: ${res.statusCode}`)
  return res.json() as OpenApiDocument
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const content = (raw.requestBody as { content?: Record<string, { schema?: JsonSchema }> } | undefined)
        ?.content
      const body = content?.['application/json']?.schema
      ops.push({
        method: method.toUpperCase(),
        path,
        key: `${method.toUpperCase()} ${path}`,
        parameters: (raw.parameters as Parameter[] | undefined) ?? [],
        ...(body ? { body } : {}),
        bodyRequired: Boolean((raw.requestBody as { required?: boolean } | undefined)?.required),
        ...(raw.security ? { security: raw.security as Record<string, string[]>[] } : {}),
        responses: (raw.responses as Operation['responses']) ?? {},
        raw,
      })
    }
  }
  return ops
}

/** Fills `{name}` in an OpenAPI path; values are percent-encoded unless `raw` says they already are. */
export function fillPath(path: string, values: Record<string, string>, raw: readonly string[] = []): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name] ?? 'x'
    return raw.includes(name) ? value : encodeURIComponent(value)
  })
}

/** Strings that satisfy the patterns the API publishes; the first one a pattern accepts is used. */
const PATTERN_CANDIDATES = [
  'walk-key-0000000001',
  '123456',
  'abcd2345',
  'phuong-walk',
  '09:30',
  '2026-01-15',
  '2026-01-15T08:30:00Z',
  '105.80,21.00,105.90,21.10',
  'tips',
  'c2VjcmV0',
  '6f1c1f5e-2b7a-4c1e-9a59-3d2f1e0b7a10',
]

const plain = (s: JsonSchema): JsonSchema => {
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map(plain), { ...s, allOf: undefined })
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives?.length) {
    const chosen = alternatives.find((a) => a.type !== 'null') ?? alternatives[0] ?? {}
    return plain({ ...chosen })
  }
  return s
}

export const typeOf = (s: JsonSchema): string | undefined => {
  const p = plain(s)
  if (Array.isArray(p.type)) return p.type.find((t) => t !== 'null')
  if (p.type) return p.type
  if (p.properties) return 'object'
  return undefined
}

/**
 * A value the schema accepts, plausible enough to pass validation: required properties only,
 * enums' first value, uuids from `ids` by field name (else a fresh one), strings fitting the
 * pattern and length. Not every rule of a route (a real unit, a matching code) can be met: the
 * walks only need the request to look valid to the published schema.
 */
export function exampleOf(schema: JsonSchema, name = '', ids: Record<string, string> = {}): unknown {
  const s = plain(schema)
  if (s.const !== undefined) return s.const
  if (s.default !== undefined) return s.default
  if (s.enum?.length) return s.enum[0]
  switch (typeOf(s)) {
    case 'string':
      return exampleString(s, name, ids)
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined)
      return min !== undefined ? Math.max(min, Math.min(1, s.maximum ?? 1)) : Math.min(1, s.maximum ?? 1)
    }
    case 'boolean':
      return false
    case 'array': {
      const n = s.minItems ?? 0
      return Array.from({ length: n }, () => exampleOf(s.items ?? {}, name, ids))
    }
    case 'object': {
      const out: Record<string, unknown> = {}
      for (const key of s.required ?? []) out[key] = exampleOf(s.properties?.[key] ?? {}, key, ids)
      return out
    }
    default:
      return 'x'
  }
}

function exampleString(s: JsonSchema, name: string, ids: Record<string, string>): string {
  if (s.format === 'uuid') return ids[name] ?? randomUUID()
  if (s.format === 'date-time') return '2026-01-15T08:30:00Z'
  if (s.format === 'date') return '2026-01-15'
  if (s.format === 'uri') return 'https://example.org/walk'
  if (s.format === 'email') return 'walk@example.org'
  if (s.pattern) {
    const re = new RegExp(s.pattern, 'u')
    const hit = PATTERN_CANDIDATES.find((c) => re.test(c))
    if (hit) return hit
  }
  let value = 'Xin chào phường'
  while (value.length < (s.minLength ?? 0)) value += ' nhé'
  return value.slice(0, s.maxLength ?? value.length)
}

/** The values of an operation's parameters of one kind, from their schemas. */
export function exampleParams(op: Operation, where: 'path' | 'query', ids: Record<string, string> = {}) {
  const out: Record<string, string> = {}
  for (const p of op.parameters.filter((x) => x.in === where)) {
    if (where === 'query' && !p.required) continue
    out[p.name] = String(exampleOf(p.schema, p.name, ids))
  }
  return out
}
