import {
  Archive,
  ArrowLeft,
  BookOpenText,
  Camera,
  ChartColumn,
  ClipboardCheck,
  FileSpreadsheet,
  FolderOpen,
  HeartPulse,
  Inbox,
  KeyRound,
  LogOut,
  Megaphone,
  Menu,
  MessageSquareText,
  Network,
  PhoneOff,
  Send,
  UsersRound,
} from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate } from 'react-router'
import { AppHeader } from '../components/AppHeader'
import { SkipLink } from '../components/SkipLink'
import { usePendingApprovals } from '../features/alerts/use-pending-approvals'
import { useSession, useSignOut } from '../features/auth/use-session'
import { useDashboardUnits } from '../features/dashboard/dashboard-api'
import { useSystemHealth } from '../features/health/health-api'
import { useUnitStorage } from '../features/retention/retention-api'
import { useFocusMainOnNavigate } from '../lib/use-focus-main-on-navigate'

const NAV = [
  { to: '/staff', key: 'pages.staffInbox', Icon: Inbox, end: true },
  { to: '/staff/canned-replies', key: 'pages.staffCanned', Icon: MessageSquareText, end: false },
  { to: '/staff/tips', key: 'pages.staffTips', Icon: Send, end: false },
  { to: '/staff/cases', key: 'pages.staffCases', Icon: FolderOpen, end: false },
  { to: '/staff/movements', key: 'pages.staffMovements', Icon: ClipboardCheck, end: false },
  { to: '/staff/register', key: 'pages.staffRegister', Icon: UsersRound, end: false },
  { to: '/staff/alerts', key: 'pages.staffAlerts', Icon: Megaphone, end: false },
  { to: '/staff/scam-reports', key: 'pages.staffScamReports', Icon: PhoneOff, end: false },
  { to: '/staff/procedures', key: 'pages.staffProcedures', Icon: BookOpenText, end: false },
  { to: '/staff/units', key: 'pages.staffUnits', Icon: Network, end: false },
  { to: '/staff/officer-photos', key: 'pages.staffOfficerPhotos', Icon: Camera, end: false },
  { to: '/staff/unit-tree', key: 'pages.staffUnitTree', Icon: FileSpreadsheet, end: false },
  { to: '/staff/dashboard', key: 'pages.staffDashboard', Icon: ChartColumn, end: false },
  { to: '/staff/health', key: 'pages.staffHealth', Icon: HeartPulse, end: false },
  { to: '/staff/retention', key: 'pages.staffRetention', Icon: Archive, end: false },
  { to: '/staff/account', key: 'pages.staffAccount', Icon: KeyRound, end: false },
] as const

/**
 * Officer console: navigation in a left column at a desk. On a phone it folds behind one "Menu"
 * button, so the page (the inbox above all) starts right under the header.
 */
export function StaffLayout() {
  const { t } = useTranslation()
  useFocusMainOnNavigate()
  const navigate = useNavigate()
  const { pathname } = useLocation()
  const signOut = useSignOut()
  const [menuOpen, setMenuOpen] = useState(false)
  // Choosing a page closes the phone menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the path is the trigger, not a value read
  useEffect(() => setMenuOpen(false), [pathname])
  // The month in review is listed only for those who command a unit.
  const commands = (useDashboardUnits().data?.length ?? 0) > 0
  // The system health page is listed for administrators only (others are answered 403).
  const admin = useSystemHealth().isSuccess
  // Retention and storage: administrators and commanders (the storage figures answer others 403).
  const storage = useUnitStorage().isSuccess
  // Alerts waiting for this commander's approval, shown on the alerts link (issue 19).
  const pendingApprovals = usePendingApprovals()
  // Officers' photos are decided by commanders (issue 19, point 7).
  const isCommander = useSession().data?.roles.includes('commander') ?? false
  const nav = NAV.filter(
    (item) =>
      (item.to !== '/staff/dashboard' || commands) &&
      ((item.to !== '/staff/health' && item.to !== '/staff/unit-tree') || admin) &&
      (item.to !== '/staff/retention' || storage) &&
      (item.to !== '/staff/officer-photos' || isCommander),
  )
  return (
    <div className="staff-layout">
      <SkipLink />
      <AppHeader variant="staff" />
      <div className="staff-body">
        <nav className="staff-nav" aria-label={t('staff.navLabel')} data-open={menuOpen}>
          <button
            type="button"
            className="staff-nav__toggle"
            aria-expanded={menuOpen}
            aria-controls="staff-nav-list"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <Menu className="icon" aria-hidden="true" /> {t('staff.menu')}
          </button>
          <ul className="staff-nav__list" id="staff-nav-list">
            {nav.map(({ to, key, Icon, end }) => (
              <li key={to}>
                <NavLink
                  to={to}
                  end={end}
                  className="staff-nav__link"
                  aria-label={
                    to === '/staff/alerts' && pendingApprovals > 0
                      ? t('staff.alertsPending', { count: pendingApprovals })
                      : undefined
                  }
                >
                  <Icon className="icon" aria-hidden="true" />
                  {t(key)}
                  {to === '/staff/alerts' && pendingApprovals > 0 && (
                    <span className="staff-nav__badge" aria-hidden="true">
                      {pendingApprovals}
                    </span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="staff-nav__foot">
            <Link to="/" className="staff-nav__back">
              <ArrowLeft className="icon" aria-hidden="true" />
              {t('staff.backToPublic')}
            </Link>
            {/* Station computers are shared: signing out is one tap away on every console page. */}
            <button
              type="button"
              className="staff-nav__sign-out"
              disabled={signOut.isPending}
              onClick={() =>
                signOut.mutate(undefined, {
                  onSettled: () => navigate('/staff/sign-in', { replace: true }),
                })
              }
            >
              <LogOut className="icon" aria-hidden="true" />
              {t('staff.signOut')}
            </button>
          </div>
        </nav>
        <main id="main" tabIndex={-1} className="staff-main">
          <Outlet />
        </main>
      </div>
      <ScrollRestoration />
    </div>
  )
}
