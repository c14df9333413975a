import { BookOpenText, ChevronRight, type LucideIcon, MessagesSquare, Send } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'

interface Action {
  path: string
  /** Actions that belong to one residential group carry it, so a new account lands in that area. */
  withArea: boolean
  Icon: LucideIcon
  title: 'home.ask' | 'home.tip' | 'home.procedures'
  hint: 'home.askHint' | 'home.tipHint' | 'home.proceduresHint'
}

const ACTIONS: readonly Action[] = [
  { path: '/ask', withArea: true, Icon: MessagesSquare, title: 'home.ask', hint: 'home.askHint' },
  { path: '/tips/new', withArea: true, Icon: Send, title: 'home.tip', hint: 'home.tipHint' },
  {
    path: '/procedures',
    withArea: false,
    Icon: BookOpenText,
    title: 'home.procedures',
    hint: 'home.proceduresHint',
  },
]

/** The three big buttons a resident came for: on the home page, and on an area page opened from a QR poster. */
export function ResidentActions({ areaSlug, idPrefix = 'home' }: { areaSlug?: string; idPrefix?: string }) {
  const { t } = useTranslation()
  const domId = (key: string) => `${idPrefix}-${key.replace('.', '-')}`
  return (
    <ul className="home-actions">
      {ACTIONS.map(({ path, withArea, Icon, title, hint }) => (
        <li key={path}>
          {/* Named by its title alone; the hint is read as its description. */}
          <Link
            to={withArea && areaSlug ? `${path}?area=${encodeURIComponent(areaSlug)}` : path}
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
  )
}
