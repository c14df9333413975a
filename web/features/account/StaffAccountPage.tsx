import { useTranslation } from 'react-i18next'
import { useDocumentTitle } from '../../lib/use-document-title'
import { OfficerPhotoCard } from '../officer-photos/OfficerPhotoCard'
import { PasswordCard } from './PasswordCard'
import { SessionsCard } from './SessionsCard'
import '../auth/auth.css'
import './account.css'

/** The staff console's account page: the officer's photo, password and signed-in browsers. */
export function StaffAccountPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffAccount'))
  return (
    <>
      <h1>{t('pages.staffAccount')}</h1>
      <OfficerPhotoCard />
      <PasswordCard />
      <SessionsCard />
    </>
  )
}
