import { formatVietnamesePhone } from '@common/text/phone'
import { BadgeCheck, Phone } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'

export interface CardOfficer {
  name: string
  rank: string | null
  title: string | null
  photoUrl: string | null
  officialPhone: string | null
  areas?: { slug: string; name: string }[]
}

/** "Thượng úy Lê Đức Chương": the rank before the name, unless the name already carries it. */
export const officerName = (o: Pick<CardOfficer, 'name' | 'rank'>) =>
  o.rank && !o.name.startsWith(o.rank) ? `${o.rank} ${o.name}` : o.name

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(-2)
    .map((w) => w[0]?.toUpperCase())
    .join('')

/** An official phone number with its verified mark; tapping it calls. */
export function VerifiedPhone({ phone }: { phone: string }) {
  const { t } = useTranslation()
  const shown = formatVietnamesePhone(phone)
  return (
    <a className="verified-phone" href={`tel:${phone}`} aria-label={t('directory.call', { phone: shown })}>
      <Phone className="icon" aria-hidden="true" />
      <span className="verified-phone__number">{shown}</span>
      <span className="verified-phone__mark" title={t('directory.verified')}>
        <BadgeCheck className="icon" aria-hidden="true" />
        <span className="visually-hidden">{t('directory.verified')}</span>
      </span>
    </a>
  )
}

/** Photo (or initials), name with rank, title, official phone and the areas covered. */
export function OfficerCard({ officer, large = false }: { officer: CardOfficer; large?: boolean }) {
  const { t } = useTranslation()
  const name = officerName(officer)
  return (
    <article className={`officer-card${large ? ' officer-card--large' : ''}`} aria-label={name}>
      {officer.photoUrl ? (
        <img className="officer-card__photo" src={officer.photoUrl} alt="" loading="lazy" />
      ) : (
        <span className="officer-card__photo officer-card__photo--initials" aria-hidden="true">
          {initials(officer.name)}
        </span>
      )}
      <div className="officer-card__body">
        <h3 className="officer-card__name">{name}</h3>
        {officer.title && <p className="officer-card__title">{officer.title}</p>}
        {officer.officialPhone && <VerifiedPhone phone={officer.officialPhone} />}
        {officer.areas && officer.areas.length > 0 && (
          <p className="officer-card__areas">
            {t('directory.covers', { areas: '' })}
            {officer.areas.map((a, i) => (
              <span key={a.slug}>
                {i > 0 && ', '}
                <Link to={`/a/${a.slug}`}>{a.name}</Link>
              </span>
            ))}
          </p>
        )}
      </div>
    </article>
  )
}
