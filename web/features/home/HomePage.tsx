import { BookUser, ChevronRight, House, LogIn, PhoneCall, UserRound, UserRoundCog } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ResidentActions } from '../../components/ResidentActions'
import { useDocumentTitle } from '../../lib/use-document-title'
import { HomeAlertBanner } from '../alerts/HomeAlertBanner'
import { useSession } from '../auth/use-session'
import { MyChats } from './MyChats'

const LINKS = [
  { to: '/directory', Icon: BookUser, label: 'home.directory' },
  { to: '/check-caller', Icon: PhoneCall, label: 'home.checkCaller' },
  { to: '/movements', Icon: House, label: 'home.movements' },
] as const

/** The resident's first screen: what NhipCau is, and the three things they came for. */
export function HomePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('home.title'))
  const user = useSession().data ?? null
  const resident = user?.kind === 'resident' ? user : null
  // Signed in, the last link is the account (with the name), never a second sign-in that costs a code.
  const accountLink = user
    ? {
        to: user.kind === 'staff' ? '/staff/account' : '/me',
        Icon: UserRound,
        text: t('home.account', { name: user.displayName }),
      }
    : { to: '/sign-in', Icon: LogIn, text: t('home.signIn') }
  return (
    <>
      <HomeAlertBanner />
      <section className="home-hero">
        <h1>{t('home.heading')}</h1>
        <p className="home-hero__intro">{t('home.intro')}</p>
      </section>

      {resident && <MyChats hasArea={!!resident.areaId} />}

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
          {[...LINKS.map(({ to, Icon, label }) => ({ to, Icon, text: t(label) })), accountLink].map(
            ({ to, Icon, text }) => (
              <li key={to}>
                <Link to={to} className="home-link">
                  <Icon className="icon" aria-hidden="true" />
                  <span className="home-link__text">{text}</span>
                  <ChevronRight className="icon" aria-hidden="true" />
                </Link>
              </li>
            ),
          )}
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
