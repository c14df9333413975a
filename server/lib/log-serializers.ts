import { DrizzleQueryError } from 'drizzle-orm/errors'

type Serialized = { type: string; message: string; stack: string; [key: string]: unknown }

/** Fields of a PostgreSQL error (PGlite or node-postgres) that name the failure but hold no row data. */
const DB_ERROR_FIELDS = ['code', 'severity', 'constraint', 'table', 'column', 'dataType', 'routine'] as const

/** Only the "at …" frames: the first lines of a stack repeat the message, which may hold values. */
const framesOnly = (stack: string | undefined) =>
  stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n')

/** Quoted parts of a database message can be input ("invalid input syntax for type uuid: "…""). */
const withoutQuoted = (message: string) => message.replace(/"[^"]*"/g, '"…"')

/**
 * The `err` serializer of every log line. A DrizzleQueryError's message is the SQL **plus its
 * parameters** (message bodies, names, phone numbers); it is logged as the SQL text, the SQLSTATE
 * and the constraint only. Causes are walked with the same rule, so a wrapped query error cannot
 * leak through its wrapper's message or stack.
 */
export function serializeError(err: unknown, depth = 0): Serialized {
  if (!(err instanceof Error)) return { type: typeof err, message: String(err), stack: '' }
  if (err instanceof DrizzleQueryError) {
    const out: Serialized = {
      type: 'DrizzleQueryError',
      message: 'database query failed (parameters not logged)',
      sql: err.query,
      stack: framesOnly(err.stack) ?? '',
    }
    if (err.cause && depth < 4) out.cause = serializeDbCause(err.cause)
    return out
  }
  const out: Serialized = { type: err.constructor.name, message: err.message, stack: err.stack ?? '' }
  for (const key of ['code', 'statusCode', 'kind', 'validationContext'] as const) {
    const value = (err as unknown as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  if (err.cause && depth < 4) out.cause = serializeError(err.cause, depth + 1)
  return out
}

function serializeDbCause(cause: unknown): Record<string, unknown> {
  if (!(cause instanceof Error)) return { message: 'unknown cause' }
  const out: Record<string, unknown> = { type: cause.constructor.name, message: withoutQuoted(cause.message) }
  for (const key of DB_ERROR_FIELDS) {
    const value = (cause as unknown as Record<string, unknown>)[key]
    if (value !== undefined) out[key === 'code' ? 'sqlState' : key] = value
  }
  return out
}
