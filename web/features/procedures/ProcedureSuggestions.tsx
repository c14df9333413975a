import type { TProcedureSearchResults } from '@common/schemas/procedures'
import { useQuery } from '@tanstack/react-query'
import { BookOpenText } from 'lucide-react'
import { useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { apiFetch } from '../../api/client'
import { useDebounced } from './procedures-api'
import './procedures.css'

/** Below this the question says too little to suggest anything (and every key would be a request). */
const MIN_CHARS = 12
const MIN_WORDS = 3
/** One request per pause in typing. */
export const SUGGEST_DEBOUNCE_MS = 400

const subscribe = (onChange: () => void) => {
  globalThis.addEventListener?.('online', onChange)
  globalThis.addEventListener?.('offline', onChange)
  return () => {
    globalThis.removeEventListener?.('online', onChange)
    globalThis.removeEventListener?.('offline', onChange)
  }
}
const isOnline = () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false)

/** Whether the browser believes it has a network (suggestions need the server's search). */
export const useOnline = () => useSyncExternalStore(subscribe, isOnline, () => true)

const worthAsking = (q: string) => q.length >= MIN_CHARS && q.split(/\s+/).length >= MIN_WORDS

/**
 * The procedures a question being typed is about. A newer question replaces the older one's
 * query, and the older request is aborted (its signal goes to fetch); no retry, no stale answer
 * kept for another text.
 */
export const useProcedureSuggestions = (q: string, enabled: boolean) =>
  useQuery({
    queryKey: ['procedures', 'suggest', q] as const,
    queryFn: ({ signal }) =>
      apiFetch<TProcedureSearchResults>(
        `/api/procedures/search?q=${encodeURIComponent(q.slice(0, 200))}&limit=3`,
        { signal },
      ),
    enabled: enabled && worthAsking(q),
    staleTime: 60_000,
    retry: false,
  })

/**
 * While a resident types a question to their officer: the procedures it seems to be about, with
 * why, before they send it. Nothing when the search says no procedure fits (never a wrong card),
 * nothing offline or when the search fails, nothing once the box is empty.
 */
export function ProcedureSuggestions({ text }: { text: string }) {
  const { t, i18n } = useTranslation()
  const online = useOnline()
  const typed = text.trim()
  const settled = useDebounced(typed, SUGGEST_DEBOUNCE_MS)
  const suggestions = useProcedureSuggestions(settled, online && typed.length > 0)
  const data = suggestions.data
  if (!online || !typed || !worthAsking(typed) || suggestions.isError || !data || data.none) return null
  if (data.results.length === 0) return null
  return (
    <section className="procedure-suggestions" aria-label={t('messaging.suggestionsTitle')}>
      <h2 className="procedure-suggestions__title">
        <BookOpenText className="icon" aria-hidden="true" /> {t('messaging.suggestionsTitle')}
      </h2>
      <p className="procedure-suggestions__hint">{t('messaging.suggestionsHint')}</p>
      <ul className="procedure-suggestions__list">
        {data.results.map((p) => (
          <li key={p.id} className="procedure-suggestions__item" data-testid="procedure-suggestion">
            <Link to={`/procedures/${encodeURIComponent(p.id)}`}>
              {i18n.language === 'en' ? p.nameEn : p.nameVi}
            </Link>
            {p.why.length > 0 && (
              <p className="procedure-suggestions__why">
                {t('messaging.suggestionWhy', {
                  reasons: p.why
                    .map((w) => (w.said.toLowerCase() === w.means ? w.said : `${w.said} → ${w.means}`))
                    .join('; '),
                })}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
