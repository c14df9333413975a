import { BookUser, ChevronRight, House, LogIn, PhoneCall, UserRoundCog } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ResidentActions } from '../../components/ResidentActions'
import { useDocumentTitle } from '../../lib/use-document-title'
import { HomeAlertBanner } from '../alerts/HomeAlertBanner'

const LINKS = [
  { to: '/directory', Icon: BookUser, label: 'home.directory' },
  { to: '/check-caller', Icon: PhoneCall, label: 'home.checkCaller' },
  { to: '/movements', Icon: House, label: 'home.movements' },
  { to: '/sign-in', Icon: LogIn, label: 'home.signIn' },
] as const

/** The resident's first screen: what NhipCau is, and the three things they came for. */
export function HomePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('home.title'))
  return (
    <>
      <HomeAlertBanner />
      <section className="home-hero">
        <h1>{t('home.heading')}</h1>
        <p className="home-hero__intro">{t('home.intro')}</p>
      </section>

      <section className="home-section" aria-labelledby="home-actions-title">
        <h2 id="home-actions-title" className="home-section__title">
          {t('home.actionsLabel')}
        </h2>
        <ResidentActions />
      </section>

      <section className="home-section" aria-labelledby="home-more-title">
        <h2 id="home-more-title" className="home-section__title">
          {t('home.moreLabel')}
        </h2>
        <ul className="home-links">
          {LINKS.map(({ to, Icon, label }) => (
            <li key={to}>
              <Link to={to} className="home-link">
                <Icon className="icon" aria-hidden="true" />
                <span className="home-link__text">{t(label)}</span>
                <ChevronRight className="icon" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="home-staff" aria-labelledby="home-staff-title">
        <p id="home-staff-title">{t('home.staffLabel')}</p>
        <Link to="/staff" className="btn btn--secondary">
          <UserRoundCog className="icon" aria-hidden="true" />
          {t('home.staffEntry')}
        </Link>
      </section>
    </>
  )
}
