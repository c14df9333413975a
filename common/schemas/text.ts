import { z } from 'zod'

/**
 * Text the database and every client can hold. PostgreSQL `text` cannot store NUL, and a UTF-16
 * half without its partner (a "lone surrogate") is not Unicode: it would be stored as U+FFFD or
 * fail the query. Both are refused at the edge with a 400 naming the field.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this rejects
const UNSAFE_TEXT = /[\u0000\p{Cs}]/u

export const hasUnsafeText = (value: string): boolean => UNSAFE_TEXT.test(value)

/** The field error code and message key every layer uses for NUL or a lone surrogate. */
export const UNSAFE_TEXT_CODE = 'unsafe_text'
export const UNSAFE_TEXT_MESSAGE_KEY = 'field.unsafe_text'

/**
 * The one string schema for request fields: `ZText.max(200)`, `ZText.trim().min(1)`… instead of
 * `z.string()`. The server also checks every JSON body, query and path value with the same rule
 * before validation (server/lib/edge-guard.ts), so an old `z.string()` cannot let NUL through;
 * ZText matters where a value arrives another way (multipart fields, CSV, WebSocket frames).
 */
export const ZText = z.string().refine((value) => !hasUnsafeText(value), {
  message: `i18n:${UNSAFE_TEXT_MESSAGE_KEY}`,
})
