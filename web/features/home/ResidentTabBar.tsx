import { Bell, FileText, type LucideIcon, MessagesSquare, UserRound, Users } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { NavLink } from 'react-router'
import { useSession } from '../auth/use-session'
import { type ResidentBadges, useResidentBadges } from './use-resident-badges'
import './tabbar.css'

interface Tab {
  to: string
  Icon: LucideIcon
  label: 'nav.ask' | 'nav.groups' | 'nav.tips' | 'nav.alerts' | 'nav.account'
  badge?: keyof ResidentBadges
}

const TABS: readonly Tab[] = [
  { to: '/ask', Icon: MessagesSquare, label: 'nav.ask', badge: 'ask' },
  { to: '/groups', Icon: Users, label: 'nav.groups', badge: 'groups' },
  { to: '/tips/mine', Icon: FileText, label: 'nav.tips', badge: 'tips' },
  { to: '/alerts', Icon: Bell, label: 'nav.alerts', badge: 'alerts' },
  { to: '/me', Icon: UserRound, label: 'nav.account' },
]

/**
 * A signed-in resident's way around, always at the bottom of the screen as in a chat app, with
 * what is waiting for them. Visitors and staff do not get it: they have nothing there.
 */
export function ResidentTabBar() {
  const { t } = useTranslation()
  const user = useSession().data ?? null
  const badges = useResidentBadges(user)
  if (user?.kind !== 'resident') return null
  return (
    <nav className="tabbar" aria-label={t('nav.label')}>
      <ul className="tabbar__list">
        {TABS.map(({ to, Icon, label, badge }) => {
          const count = badge ? badges[badge] : 0
          return (
            <li key={to}>
              <NavLink to={to} className="tabbar__tab">
                <span className="tabbar__icon">
                  <Icon aria-hidden="true" />
                  {count > 0 && (
                    <span className="tabbar__badge" aria-hidden="true">
                      {count > 99 ? '99+' : count}
                    </span>
                  )}
                </span>
                <span className="tabbar__label">{t(label)}</span>
                {count > 0 && <span className="visually-hidden">{t('nav.unread', { count })}</span>}
              </NavLink>
            </li>
          )
        })}
      </ul>
    </nav>
  )
}
