import { Phone } from 'lucide-react'
import { useTranslation } from 'react-i18next'

const NUMBERS = [
  { tel: '113', key: 'app.emergencyPolice' },
  { tel: '114', key: 'app.emergencyFire' },
  { tel: '115', key: 'app.emergencyAmbulance' },
] as const

/** A tip is not for emergencies: the national numbers are always one tap away. */
export function EmergencyNumbers() {
  const { t } = useTranslation()
  return (
    <div className="emergency">
      {t('app.emergency')}
      <ul className="emergency__list">
        {NUMBERS.map(({ tel, key }) => (
          <li key={tel}>
            <a href={`tel:${tel}`}>
              <Phone className="icon" aria-hidden="true" />
              {t(key)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  )
}
