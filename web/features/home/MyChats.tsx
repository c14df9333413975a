import { MessagesSquare, ShieldCheck, Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { formatDate, formatTime } from '../../lib/format'
import { useAskPage } from '../messaging/messaging-api'
import { isMyGroup, useMyGroups } from './use-resident-badges'
import './my-chats.css'

interface Chat {
  key: string
  to: string
  title: string
  excerpt: string
  at: string | null
  unread: number
  isPolice: boolean
}

/** "14:05" for today, "28/11/2026" before: what a chat list shows beside each chat. */
function whenLabel(at: string | null): string {
  if (!at) return ''
  return formatDate(at) === formatDate(new Date()) ? formatTime(at) : formatDate(at)
}

/**
 * A signed-in resident's conversation with the police of their area and their groups in one list,
 * latest first, with what is unread: the home screen of a chat app.
 */
export function MyChats({ hasArea }: { hasArea: boolean }) {
  const { t } = useTranslation()
  const ask = useAskPage(hasArea)
  const groups = useMyGroups(true)
  const chats: Chat[] = []
  if (hasArea && ask.data) {
    const c = ask.data.conversation
    const officer = ask.data.officer
    chats.push({
      key: 'ask',
      to: '/ask',
      title: officer ? t('myChats.police', { name: officer.displayName }) : t('myChats.policeOfArea'),
      excerpt: c?.lastMessage
        ? `${c.lastMessage.isStaff ? '' : t('myChats.you')}${c.lastMessage.excerpt}`
        : t('myChats.askFirst'),
      at: c?.lastMessageAt ?? null,
      unread: c?.read.unread ?? 0,
      isPolice: true,
    })
  }
  for (const g of (groups.data?.groups ?? []).filter(isMyGroup))
    chats.push({
      key: g.id,
      to: `/groups/${g.id}`,
      title: g.name,
      excerpt: `${t(`messaging.groups.kinds.${g.kind}`)} · ${t('messaging.groups.members', { count: g.memberCount })}`,
      at: g.lastMessageAt,
      unread: g.read?.unread ?? 0,
      isPolice: false,
    })
  // The police of the area stay pinned on top, as Zalo pins an official account; groups latest first.
  chats.sort((a, b) => Number(b.isPolice) - Number(a.isPolice) || (b.at ?? '').localeCompare(a.at ?? ''))

  return (
    <section className="home-section" aria-labelledby="my-chats-title">
      <h2 id="my-chats-title" className="home-section__title">
        {t('myChats.title')}
      </h2>
      {chats.length === 0 ? (
        <p className="my-chats__empty">{t('myChats.empty')}</p>
      ) : (
        <ul className="home-links">
          {chats.map((c) => (
            <li key={c.key}>
              <Link to={c.to} className="my-chats__item">
                <span
                  className={c.isPolice ? 'my-chats__avatar my-chats__avatar--police' : 'my-chats__avatar'}
                >
                  {c.isPolice ? <ShieldCheck aria-hidden="true" /> : <Users aria-hidden="true" />}
                </span>
                <span className="my-chats__text">
                  <span className="my-chats__title">{c.title}</span>
                  <span className="my-chats__excerpt">{c.excerpt}</span>
                </span>
                <span className="my-chats__side">
                  {c.at && <span className="my-chats__time">{whenLabel(c.at)}</span>}
                  {c.unread > 0 && (
                    <span className="my-chats__unread">
                      {c.unread}
                      <span className="visually-hidden"> {t('myChats.unread', { count: c.unread })}</span>
                    </span>
                  )}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {!hasArea && (
        <p>
          <Link to="/me">
            <MessagesSquare className="icon" aria-hidden="true" /> {t('myChats.chooseArea')}
          </Link>
        </p>
      )}
    </section>
  )
}
