import { LogOut } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Navigate, useNavigate } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession, useSignOut } from '../auth/use-session'
import { ChannelLinkCard } from '../channels/ChannelLinkCard'
import { PushCard } from '../notifications/PushCard'
import { useProfile } from './account-api'
import { DataCard } from './DataCard'
import { MyAreaCard } from './MyAreaCard'
import { ProfileForm } from './ProfileForm'
import { SessionsCard } from './SessionsCard'
import '../auth/auth.css'
import './account.css'
import '../channels/channels.css'

/** The signed-in user's page: my area and officer, profile, sessions, my data. */
export function MePage() {
  const { t } = useTranslation()
  useDocumentTitle(t('account.title'))
  const navigate = useNavigate()
  const session = useSession()
  const profile = useProfile()
  const signOut = useSignOut()
  if (session.isPending) return <p>{t('account.loading')}</p>
  // After signing out here, go home; otherwise a signed-out visitor is asked to sign in.
  if (!session.data) return <Navigate to={signOut.isIdle ? '/sign-in?next=/me' : '/'} replace />
  return (
    <>
      <h1>{t('account.title')}</h1>
      <p>{t('account.greeting', { name: session.data.displayName })}</p>
      {session.data.kind === 'resident' ? <MyAreaCard /> : null}
      {session.data.kind === 'resident' ? <ChannelLinkCard /> : null}
      {profile.data ? <ProfileForm key={profile.data.id} profile={profile.data} /> : null}
      <PushCard />
      <SessionsCard />
      <DataCard canDelete={session.data.kind === 'resident'} />
      <button
        type="button"
        className="btn btn--secondary"
        onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/', { replace: true }) })}
      >
        <LogOut className="icon" aria-hidden="true" />
        {t('account.signOut')}
      </button>
    </>
  )
}
