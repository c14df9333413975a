import {
  Archive,
  ArrowLeft,
  BookOpenText,
  ChartColumn,
  ClipboardCheck,
  FolderOpen,
  HeartPulse,
  Inbox,
  KeyRound,
  Megaphone,
  Network,
  Send,
  UsersRound,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink, Outlet, ScrollRestoration } from 'react-router'
import { AppHeader } from '../components/AppHeader'
import { SkipLink } from '../components/SkipLink'
import { useDashboardUnits } from '../features/dashboard/dashboard-api'
import { useSystemHealth } from '../features/health/health-api'
import { useUnitStorage } from '../features/retention/retention-api'
import { useFocusMainOnNavigate } from '../lib/use-focus-main-on-navigate'

const NAV = [
  { to: '/staff', key: 'pages.staffInbox', Icon: Inbox, end: true },
  { to: '/staff/tips', key: 'pages.staffTips', Icon: Send, end: false },
  { to: '/staff/cases', key: 'pages.staffCases', Icon: FolderOpen, end: false },
  { to: '/staff/movements', key: 'pages.staffMovements', Icon: ClipboardCheck, end: false },
  { to: '/staff/register', key: 'pages.staffRegister', Icon: UsersRound, end: false },
  { to: '/staff/alerts', key: 'pages.staffAlerts', Icon: Megaphone, end: false },
  { to: '/staff/procedures', key: 'pages.staffProcedures', Icon: BookOpenText, end: false },
  { to: '/staff/units', key: 'pages.staffUnits', Icon: Network, end: false },
  { to: '/staff/dashboard', key: 'pages.staffDashboard', Icon: ChartColumn, end: false },
  { to: '/staff/health', key: 'pages.staffHealth', Icon: HeartPulse, end: false },
  { to: '/staff/retention', key: 'pages.staffRetention', Icon: Archive, end: false },
  { to: '/staff/account', key: 'pages.staffAccount', Icon: KeyRound, end: false },
] as const

/** Officer console: navigation in a left column at a desk, stacked above the page on a phone. */
export function StaffLayout() {
  const { t } = useTranslation()
  useFocusMainOnNavigate()
  // The month in review is listed only for those who command a unit.
  const commands = (useDashboardUnits().data?.length ?? 0) > 0
  // The system health page is listed for administrators only (others are answered 403).
  const admin = useSystemHealth().isSuccess
  // Retention and storage: administrators and commanders (the storage figures answer others 403).
  const storage = useUnitStorage().isSuccess
  const nav = NAV.filter(
    (item) =>
      (item.to !== '/staff/dashboard' || commands) &&
      (item.to !== '/staff/health' || admin) &&
      (item.to !== '/staff/retention' || storage),
  )
  return (
    <div className="staff-layout">
      <SkipLink />
      <AppHeader variant="staff" />
      <div className="staff-body">
        <nav className="staff-nav" aria-label={t('staff.navLabel')}>
          <ul className="staff-nav__list">
            {nav.map(({ to, key, Icon, end }) => (
              <li key={to}>
                <NavLink to={to} end={end} className="staff-nav__link">
                  <Icon className="icon" aria-hidden="true" />
                  {t(key)}
                </NavLink>
              </li>
            ))}
          </ul>
          <Link to="/" className="staff-nav__back">
            <ArrowLeft className="icon" aria-hidden="true" />
            {t('staff.backToPublic')}
          </Link>
        </nav>
        <main id="main" tabIndex={-1} className="staff-main">
          <Outlet />
        </main>
      </div>
      <ScrollRestoration />
    </div>
  )
}
