import {
  BookOpenText,
  BookUser,
  ChevronRight,
  LogIn,
  type LucideIcon,
  MessagesSquare,
  PhoneCall,
  Send,
  UserRoundCog,
} from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { HomeAlertBanner } from '../alerts/HomeAlertBanner'

interface Action {
  to: string
  Icon: LucideIcon
  title: 'home.ask' | 'home.tip' | 'home.procedures'
  hint: 'home.askHint' | 'home.tipHint' | 'home.proceduresHint'
}

const ACTIONS: readonly Action[] = [
  { to: '/ask', Icon: MessagesSquare, title: 'home.ask', hint: 'home.askHint' },
  { to: '/tips/new', Icon: Send, title: 'home.tip', hint: 'home.tipHint' },
  { to: '/procedures', Icon: BookOpenText, title: 'home.procedures', hint: 'home.proceduresHint' },
]

const LINKS = [
  { to: '/directory', Icon: BookUser, label: 'home.directory' },
  { to: '/check-caller', Icon: PhoneCall, label: 'home.checkCaller' },
  { to: '/sign-in', Icon: LogIn, label: 'home.signIn' },
] as const

const domId = (key: string) => key.replace('.', '-')

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
        <ul className="home-actions">
          {ACTIONS.map(({ to, Icon, title, hint }) => (
            <li key={to}>
              {/* Named by its title alone; the hint is read as its description. */}
              <Link
                to={to}
                className="home-action"
                aria-labelledby={domId(title)}
                aria-describedby={domId(hint)}
              >
                <span className="home-action__icon">
                  <Icon aria-hidden="true" />
                </span>
                <span className="home-action__text">
                  <span className="home-action__title" id={domId(title)}>
                    {t(title)}
                  </span>
                  <span className="home-action__hint" id={domId(hint)}>
                    {t(hint)}
                  </span>
                </span>
                <ChevronRight className="home-action__chevron" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
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
