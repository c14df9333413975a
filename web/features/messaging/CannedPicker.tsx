import { foldVietnamese } from '@common/text/fold'
import { useQuery } from '@tanstack/react-query'
import { MessageSquareText } from 'lucide-react'
import { type KeyboardEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { CannedBadge } from './CannedBadge'
import { messagingApi, messagingKeys } from './messaging-api'

/**
 * "Câu trả lời mẫu" above the officer's text box: opens a searchable list of the conversation's
 * canned replies (the unit's shared ones and the officer's own, already filled in). Keyboard: the
 * search box takes the focus, ↓/↑ move through the replies, Enter inserts one, Esc closes and
 * returns to the button.
 */
export function CannedPicker({
  conversationId,
  onPick,
}: {
  conversationId: string
  onPick: (body: string) => void
}) {
  const { t } = useTranslation()
  const id = useId()
  const [open, setOpen] = useState(false)
  const [q, setQ] = useState('')
  const toggleRef = useRef<HTMLButtonElement>(null)
  const listRef = useRef<HTMLUListElement>(null)
  const canned = useQuery({
    queryKey: messagingKeys.canned(conversationId),
    queryFn: () => messagingApi.canned(conversationId),
    enabled: open,
  })
  const needle = foldVietnamese(q.trim())
  const replies = (canned.data ?? []).filter(
    (r) => !needle || foldVietnamese(`${r.title} ${r.body}`).includes(needle),
  )

  const close = () => {
    setOpen(false)
    setQ('')
    toggleRef.current?.focus()
  }
  const options = () => [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])]
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      close()
      return
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    e.preventDefault()
    const all = options()
    const at = all.indexOf(document.activeElement as HTMLButtonElement)
    const next = e.key === 'ArrowDown' ? Math.min(all.length - 1, at + 1) : at - 1
    if (next < 0) document.getElementById(`${id}-q`)?.focus()
    else all[next]?.focus()
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow keys and Esc move between the controls inside
    <div className="canned-picker" onKeyDown={onKeyDown}>
      <button
        ref={toggleRef}
        type="button"
        className="btn btn--secondary btn--small"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        onClick={() => (open ? close() : setOpen(true))}
      >
        <MessageSquareText className="icon" aria-hidden="true" /> {t('messaging.canned.pick')}
      </button>
      {open && (
        <div className="canned-picker__panel" id={`${id}-panel`}>
          <label htmlFor={`${id}-q`}>{t('messaging.canned.pickSearch')}</label>
          <input
            id={`${id}-q`}
            type="search"
            // biome-ignore lint/a11y/noAutofocus: the officer opened the picker to search it
            autoFocus
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
          {canned.isLoading && <p role="status">{t('org.loading')}</p>}
          {canned.data?.length === 0 && <p>{t('messaging.inbox.noCanned')}</p>}
          {canned.data && canned.data.length > 0 && replies.length === 0 && (
            <p>{t('messaging.canned.noMatch')}</p>
          )}
          <ul className="canned-picker__list" ref={listRef} aria-label={t('messaging.canned.listLabel')}>
            {replies.map((r) => (
              <li key={r.id}>
                <button
                  type="button"
                  className="canned-picker__option"
                  onClick={() => {
                    onPick(r.body)
                    setOpen(false)
                    setQ('')
                  }}
                >
                  <strong>{r.title}</strong>
                  <CannedBadge shared={r.shared} />
                  <span className="canned-picker__excerpt">
                    {r.body.length > 140 ? `${r.body.slice(0, 139)}…` : r.body}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <Link to="/staff/canned-replies">{t('messaging.canned.manage')}</Link>
        </div>
      )}
    </div>
  )
}
