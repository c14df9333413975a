import { ALargeSmall } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useLargeText } from '../lib/large-text'

/** "Chữ lớn": scales the whole interface to about 130 %, remembered on this device. */
export function LargeTextToggle() {
  const { t } = useTranslation()
  const [isLarge, setLarge] = useLargeText()
  return (
    <button
      type="button"
      className="header-toggle"
      aria-pressed={isLarge}
      title={t('prefs.largeTextHint')}
      onClick={() => setLarge(!isLarge)}
    >
      <ALargeSmall className="icon" aria-hidden="true" />
      {t('prefs.largeText')}
    </button>
  )
}
