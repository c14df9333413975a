import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ArrowLeft, Search, Users } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession } from '../auth/use-session'
import { ChannelBadge } from './ChannelBadge'
import { ConnectionStatus } from './ConnectionStatus'
import { InboxContext } from './InboxContext'
import { InboxWorkbar, StatusBadge } from './InboxWorkbar'
import { onStreamEvent } from './message-stream'
import { messagingApi, messagingKeys } from './messaging-api'
import { Thread } from './Thread'
import './messaging.css'
import './inbox.css'

const FILTERS = ['all', 'mine', 'unassigned', 'resolved'] as const
type Filter = (typeof FILTERS)[number]

/** The officer console's inbox: queue | thread | context on a desk, three stacked screens on a phone. */
export function InboxPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('messaging.inbox.title'))
  const { id } = useParams()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const session = useSession()
  const [filter, setFilter] = useState<Filter>('all')
  const [q, setQ] = useState('')
  const [draft, setDraft] = useState('')
  const composerRef = useRef<HTMLTextAreaElement>(null)
  const inbox = useQuery({
    queryKey: messagingKeys.inbox(filter, q),
    queryFn: () => messagingApi.inbox(filter, q),
    enabled: session.data?.kind === 'staff',
  })
  const list = inbox.data?.conversations ?? []
  const selected = list.find((c) => c.id === id)
  const conversation = useQuery({
    queryKey: messagingKeys.conversation(id ?? ''),
    queryFn: () => messagingApi.conversation(id!),
    enabled: !!id && session.data?.kind === 'staff',
  })
  const current = conversation.data ?? selected

  // New messages, status changes and handovers refresh the queue without a reload.
  useEffect(
    () =>
      onStreamEvent((e) => {
        if (
          e.type === 'message.created' ||
          e.type === 'conversation.updated' ||
          e.type === 'conversation.read'
        ) {
          void qc.invalidateQueries({ queryKey: ['messaging', 'inbox'] })
          if (e.conversationId === id)
            void qc.invalidateQueries({ queryKey: messagingKeys.conversation(id ?? '') })
        }
      }),
    [qc, id],
  )

  // A new conversation starts with an empty composer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: id is the trigger, not a value read
  useEffect(() => setDraft(''), [id])

  // Shortcuts at a desk: j/k next/previous, r reply, e resolve.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, textarea, select, [contenteditable]'))
        return
      const index = list.findIndex((c) => c.id === id)
      if (e.key === 'j' || e.key === 'k') {
        const next = list[Math.max(0, Math.min(list.length - 1, index + (e.key === 'j' ? 1 : -1)))]
        if (next) void navigate(`/staff/inbox/${next.id}`)
      } else if (e.key === 'r' && id) {
        e.preventDefault()
        composerRef.current?.focus()
      } else if (e.key === 'e' && id) {
        void messagingApi
          .update(id, { status: 'resolved' })
          .then(() => qc.invalidateQueries({ queryKey: messagingKeys.all }))
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [list, id, navigate, qc])

  if (!session.isLoading && session.data?.kind !== 'staff')
    return (
      <>
        <h1>{t('messaging.inbox.title')}</h1>
        <p>{t('messaging.inbox.staffOnly')}</p>
      </>
    )

  return (
    <div className={`inbox${id ? ' inbox--has-thread' : ''}`}>
      <h1 className="visually-hidden">{t('messaging.inbox.title')}</h1>
      <section className="inbox__queue" aria-label={t('messaging.inbox.queueLabel')}>
        <div className="inbox__filters">
          {FILTERS.map((f) => (
            <button
              key={f}
              type="button"
              aria-pressed={filter === f}
              className="chip"
              onClick={() => setFilter(f)}
            >
              {t(`messaging.inbox.filters.${f}`)}
            </button>
          ))}
        </div>
        <label className="inbox__search">
          <Search className="icon" aria-hidden="true" />
          <span className="visually-hidden">{t('messaging.inbox.search')}</span>
          <input
            type="search"
            value={q}
            placeholder={t('messaging.inbox.search')}
            onChange={(e) => setQ(e.target.value)}
          />
        </label>
        <ConnectionStatus />
        {inbox.data && list.length === 0 && <p className="thread__empty">{t('messaging.inbox.empty')}</p>}
        <ul className="inbox__list">
          {list.map((c) => (
            <li key={c.id}>
              <Link
                to={`/staff/inbox/${c.id}`}
                className={`inbox__item${c.id === id ? ' inbox__item--active' : ''}`}
                aria-current={c.id === id ? 'true' : undefined}
                data-testid="inbox-item"
              >
                <span className="inbox__item-head">
                  <strong>{c.title}</strong>
                  {c.read.unread > 0 && (
                    <span className="badge">{t('messaging.inbox.unread', { count: c.read.unread })}</span>
                  )}
                </span>
                <span className="inbox__excerpt">{c.lastMessage?.excerpt}</span>
                <span className="inbox__item-foot">
                  <StatusBadge c={c} />
                  <ChannelBadge channel={c.channel} />
                  {c.dueAt && c.status !== 'resolved' && !c.overdue && (
                    <span>{t('messaging.inbox.dueAt', { time: formatDateTime(c.dueAt) })}</span>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        <p className="inbox__shortcuts">{t('messaging.inbox.shortcuts')}</p>
        <Link to="/groups" className="btn btn--secondary btn--small">
          <Users className="icon" aria-hidden="true" /> {t('messaging.groups.title')}
        </Link>
      </section>
      <section className="inbox__thread" aria-label={current?.title ?? t('messaging.inbox.title')}>
        {id && current ? (
          <>
            <Link to="/staff/inbox" className="inbox__back">
              <ArrowLeft className="icon" aria-hidden="true" /> {t('messaging.inbox.back')}
            </Link>
            <InboxWorkbar conversation={current} />
            <Thread
              key={id}
              ref={composerRef}
              label={current.title}
              conversationId={id}
              queueTarget={id}
              userId={session.data?.id ?? null}
              residentId={current.resident?.id ?? null}
              canPost
              allowInternal
              showReceipts
              ensureConversation={async () => id}
              draft={draft}
              onDraftChange={setDraft}
            />
          </>
        ) : (
          <p className="thread__empty">{t('messaging.inbox.select')}</p>
        )}
      </section>
      {id && current && (
        <InboxContext
          conversation={current}
          onUseCanned={(body) => {
            setDraft(body)
            composerRef.current?.focus()
          }}
        />
      )}
    </div>
  )
}
