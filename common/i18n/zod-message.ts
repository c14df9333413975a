import { z } from 'zod'
import { type Locale, translate } from './messages'

const localeError = { vi: z.locales.vi().localeError, en: z.locales.en().localeError }

/** A zod issue as both zod and fastify-type-provider-zod hand it over (code, path, bounds, message). */
export type ZodIssueLike = { code?: unknown; message?: string; path?: PropertyKey[] } & object

const text = (m: ReturnType<typeof localeError.vi>): string | undefined =>
  typeof m === 'string' ? m : (m?.message ?? undefined)

/**
 * The one message of a zod issue, for the API's problem details and the web app's own checks alike:
 * a schema's message key (`i18n:tips.description_short`) in the reader's language; a message the
 * schema wrote itself as written; otherwise what zod expected, in the reader's language. (zod's
 * default English, e.g. "Too small: expected string to have >=3 characters", is never shown to a
 * Vietnamese reader: it is recognised by comparing it with the English locale's own wording.)
 */
export function zodIssueMessage(issue: ZodIssueLike, locale: Locale): string {
  const given = issue.message
  if (given?.startsWith('i18n:')) return translate(locale, given.slice(5))
  // zod's locales read what an issue carries (code, minimum, origin…): any issue shape goes.
  const raw = issue as Parameters<typeof localeError.vi>[0]
  const zodDefault = text(localeError.en(raw))
  if (given && given !== zodDefault && !given.startsWith('Invalid input')) return given
  return text(localeError[locale](raw)) ?? given ?? ''
}
