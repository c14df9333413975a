import type { TConversationView } from '@common/schemas/messaging'
import { Search, Users } from 'lucide-react'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDateTime } from '../../lib/format'
import { ChannelBadge } from './ChannelBadge'
import { ConnectionStatus } from './ConnectionStatus'
import { KindBadge } from './InboxWork'
import { StatusBadge } from './InboxWorkbar'

export const INBOX_FILTERS = ['all', 'mine', 'unassigned', 'resolved'] as const
export type InboxFilter = (typeof INBOX_FILTERS)[number]

interface InboxQueueProps {
  filter: InboxFilter
  onFilter: (f: InboxFilter) => void
  q: string
  onSearch: (q: string) => void
  conversations: TConversationView[] | undefined
  activeId: string | undefined
  /** Work that is not a direct conversation (tips, alert answers, group questions), listed first. */
  extra?: ReactNode
}

/** The queue column (a screen of its own on a phone): filters, search, then what needs an answer. */
export function InboxQueue(p: InboxQueueProps) {
  const { t } = useTranslation()
  const list = p.conversations ?? []
  return (
    <section className="inbox__queue" aria-label={t('messaging.inbox.queueLabel')}>
      <div className="inbox__filters">
        {INBOX_FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            aria-pressed={p.filter === f}
            className="chip"
            onClick={() => p.onFilter(f)}
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
          value={p.q}
          placeholder={t('messaging.inbox.search')}
          onChange={(e) => p.onSearch(e.target.value)}
        />
      </label>
      <ConnectionStatus />
      {p.extra}
      {p.conversations && list.length === 0 && (
        <p className="thread__empty">
          {p.filter === 'all' && !p.q ? t('messaging.inbox.empty') : t('messaging.inbox.emptyFilter')}
        </p>
      )}
      <ul className="inbox__list">
        {list.map((c) => (
          <li key={c.id}>
            <Link
              to={`/staff/inbox/${c.id}`}
              className={`inbox__item${c.id === p.activeId ? ' inbox__item--active' : ''}`}
              aria-current={c.id === p.activeId ? 'true' : undefined}
              data-testid="inbox-item"
            >
              <span className="inbox__item-head">
                <KindBadge kind="conversation" />
                <strong>{c.title}</strong>
                {c.read.unread > 0 && (
                  <span className="badge">{t('messaging.inbox.unread', { count: c.read.unread })}</span>
                )}
              </span>
              <span className="inbox__excerpt">
                {c.lastMessage?.excerpt === '[voice]' ? t('messaging.voice.message') : c.lastMessage?.excerpt}
              </span>
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
  )
}
