import { formatVietnamesePhone } from '@common/text/phone'
import { MapPin, Phone, UserRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useMyArea } from './account-api'

/** "My area and my officer": who answers for the resident's residential group right now. */
export function MyAreaCard() {
  const { t } = useTranslation()
  const { data, isPending, isError } = useMyArea()
  return (
    <section className="form-card" aria-labelledby="my-area-title">
      <h2 id="my-area-title">{t('account.myAreaTitle')}</h2>
      {isPending ? <p>{t('account.loading')}</p> : null}
      {isError ? <p className="form-error">{t('account.loadError')}</p> : null}
      {data && !data.area ? <p>{t('account.noArea')}</p> : null}
      {data?.area ? (
        <>
          <p className="area-line">
            <MapPin className="icon" aria-hidden="true" />
            <span>
              <strong>{data.area.name}</strong>
              {data.area.unit ? `, ${data.area.unit.name}` : ''}
            </span>
          </p>
          {data.officers.length === 0 ? <p>{t('account.noOfficer')}</p> : null}
          <ul className="officer-cards">
            {data.officers.map((o) => (
              <li key={o.id} className="officer-card">
                {o.photoUrl ? (
                  <img className="officer-card__photo" src={o.photoUrl} alt="" width={72} height={72} />
                ) : (
                  <UserRound className="officer-card__photo officer-card__photo--none" aria-hidden="true" />
                )}
                <div>
                  <p className="officer-card__name">{o.displayName}</p>
                  <p className="officer-card__meta">{[o.rank, o.title].filter(Boolean).join(' · ')}</p>
                  {o.officialPhone ? (
                    <a className="btn btn--secondary" href={`tel:${o.officialPhone}`}>
                      <Phone className="icon" aria-hidden="true" />
                      {formatVietnamesePhone(o.officialPhone)}
                    </a>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          {data.area.unit?.phone ? (
            <p className="form-note">
              {t('account.unitPhone', {
                unit: data.area.unit.name,
                phone: formatVietnamesePhone(data.area.unit.phone),
              })}
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  )
}
