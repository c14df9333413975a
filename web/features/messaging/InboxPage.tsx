import { useQuery, useQueryClient } from '@tanstack/react-query'
import { ArrowLeft } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useMatch, useNavigate, useParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession } from '../auth/use-session'
import { ContactAreaPicker } from '../channels/ContactAreaPicker'
import { CannedPicker } from './CannedPicker'
import { InboxContext } from './InboxContext'
import { type InboxFilter, InboxQueue } from './InboxQueue'
import { InboxWork } from './InboxWork'
import { InboxWorkbar } from './InboxWorkbar'
import { onStreamEvent } from './message-stream'
import { messagingApi, messagingKeys } from './messaging-api'
import { Thread } from './Thread'
import './messaging.css'
import './inbox.css'

const CONTEXT_KEY = 'nhipcau.inbox.contextCollapsed'

/**
 * The officer console's inbox. On a phone three screens, each with a way back: the queue
 * (/staff/inbox), a conversation (/staff/inbox/:id) and its context (/staff/inbox/:id/context).
 * At a desk queue | conversation | context side by side, the conversation widest and the context
 * panel collapsible (remembered on this device).
 */
export function InboxPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('messaging.inbox.title'))
  const { id } = useParams()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const session = useSession()
  const contextScreen = !!useMatch('/staff/inbox/:id/context')
  const [contextCollapsed, setContextCollapsed] = useState(() => localStorage.getItem(CONTEXT_KEY) === '1')
  const toggleContext = () => {
    localStorage.setItem(CONTEXT_KEY, contextCollapsed ? '0' : '1')
    setContextCollapsed(!contextCollapsed)
  }
  const [filter, setFilter] = useState<InboxFilter>('all')
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

  // A canned reply goes into the text box (after what is already written), ready to adjust and send.
  const insertCanned = (body: string) => {
    setDraft((d) => (d.trim() ? `${d.trimEnd()}\n${body}` : body))
    if (contextScreen && id) void navigate(`/staff/inbox/${id}`)
    composerRef.current?.focus()
  }

  if (!session.isLoading && session.data?.kind !== 'staff')
    return (
      <>
        <h1>{t('messaging.inbox.title')}</h1>
        <p>{t('messaging.inbox.staffOnly')}</p>
      </>
    )

  const classes = [
    'inbox',
    id ? 'inbox--has-thread' : '',
    contextScreen ? 'inbox--context-screen' : '',
    contextCollapsed ? 'inbox--context-collapsed' : '',
  ]
  return (
    <div className={classes.filter(Boolean).join(' ')}>
      <h1 className="visually-hidden">{t('messaging.inbox.title')}</h1>
      <InboxQueue
        filter={filter}
        onFilter={setFilter}
        q={q}
        onSearch={setQ}
        conversations={inbox.data?.conversations}
        activeId={id}
        extra={filter === 'all' && !q ? <InboxWork enabled={session.data?.kind === 'staff'} /> : null}
      />
      <div className="inbox__thread">
        {id && current ? (
          <>
            <InboxWorkbar
              conversation={current}
              contextCollapsed={contextCollapsed}
              onToggleContext={toggleContext}
            />
            <ContactAreaPicker conversation={current} />
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
              placeholder={t('messaging.inbox.replyPlaceholder')}
              ensureConversation={async () => id}
              draft={draft}
              onDraftChange={setDraft}
              composerTools={<CannedPicker conversationId={id} onPick={insertCanned} />}
            />
          </>
        ) : (
          <p className="thread__empty">{t('messaging.inbox.select')}</p>
        )}
      </div>
      {id && current && (
        <div className="inbox__side">
          <Link to={`/staff/inbox/${id}`} className="inbox__back inbox__phone-only">
            <ArrowLeft className="icon" aria-hidden="true" /> {t('messaging.inbox.backToThread')}
          </Link>
          <InboxContext conversation={current} onUseCanned={insertCanned} />
        </div>
      )}
    </div>
  )
}
