import { ShieldCheck } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { LanguageSwitcher } from './LanguageSwitcher'
import { LargeTextToggle } from './LargeTextToggle'

interface AppHeaderProps {
  /** Where the name/logo leads, and the line under it. */
  variant: 'resident' | 'staff'
}

export function AppHeader({ variant }: AppHeaderProps) {
  const { t } = useTranslation()
  return (
    <header className="app-header">
      <div className="app-header__inner">
        <Link to={variant === 'staff' ? '/staff' : '/'} className="brand">
          <ShieldCheck className="brand__mark" aria-hidden="true" />
          <span className="brand__text">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__tagline">
              {variant === 'staff' ? t('staff.consoleName') : t('app.tagline')}
            </span>
          </span>
        </Link>
        <div className="header-tools">
          <LanguageSwitcher />
          <LargeTextToggle />
        </div>
      </div>
    </header>
  )
}
