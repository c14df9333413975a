import { useTranslation } from 'react-i18next'
import { Outlet, ScrollRestoration } from 'react-router'
import { AppHeader } from '../components/AppHeader'
import { EmergencyNumbers } from '../components/EmergencyNumbers'
import { SkipLink } from '../components/SkipLink'
import { useSession } from '../features/auth/use-session'
import { ResidentTabBar } from '../features/home/ResidentTabBar'
import { useFocusMainOnNavigate } from '../lib/use-focus-main-on-navigate'

/** Public and resident pages: one centred column sized for a phone; a signed-in resident gets the bottom bar. */
export function ResidentLayout() {
  const { t } = useTranslation()
  useFocusMainOnNavigate()
  const isResident = useSession().data?.kind === 'resident'
  return (
    <div className={isResident ? 'resident-layout resident-layout--tabbar' : 'resident-layout'}>
      <SkipLink />
      <AppHeader variant="resident" />
      <main id="main" tabIndex={-1} className="resident-main">
        <Outlet />
      </main>
      <footer className="resident-footer">
        <div className="resident-footer__inner">
          <EmergencyNumbers />
          <p>{t('app.footerNote')}</p>
        </div>
      </footer>
      <ResidentTabBar />
      <ScrollRestoration />
    </div>
  )
}
