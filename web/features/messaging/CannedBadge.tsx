import { Lock, UsersRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import './canned.css'

/** Personal or shared, with an icon and words (never colour alone). */
export function CannedBadge({ shared }: { shared: boolean }) {
  const { t } = useTranslation()
  return (
    <span className="canned-badge" data-shared={shared}>
      {shared ? (
        <UsersRound className="icon" aria-hidden="true" />
      ) : (
        <Lock className="icon" aria-hidden="true" />
      )}
      {shared ? t('messaging.canned.shared') : t('messaging.canned.personal')}
    </span>
  )
}
