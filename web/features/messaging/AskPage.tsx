import type { TOfficerCard } from '@common/schemas/messaging'
import { useQueryClient } from '@tanstack/react-query'
import { BadgeCheck, LogIn, Phone, UserRound } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession } from '../auth/use-session'
import { ProcedureSuggestions } from '../procedures/ProcedureSuggestions'
import { ChooseArea } from './ChooseArea'
import { ConnectionStatus } from './ConnectionStatus'
import { messagingApi, messagingKeys, useAskPage } from './messaging-api'
import { sendQueue } from './send-queue'
import { Thread } from './Thread'
import './messaging.css'

/** Shows a number as written in Vietnam: +84912000011 → 0912 000 011. */
export const displayPhone = (e164: string) => {
  const local = e164.startsWith('+84') ? `0${e164.slice(3)}` : e164
  return local.replace(/^(\d{4})(\d{3})(\d+)$/, '$1 $2 $3')
}

/** Who answers: photo, rank and name, and the official number with its verified mark. */
export function OfficerCard({ officer }: { officer: TOfficerCard | null }) {
  const { t } = useTranslation()
  return (
    <section className="officer-card" aria-label={t('messaging.officerCardLabel')}>
      {officer ? (
        <>
          {officer.photoUrl ? (
            <img className="officer-card__photo" src={officer.photoUrl} alt="" width={72} height={72} />
          ) : (
            <span className="officer-card__photo officer-card__photo--empty" aria-hidden="true">
              <UserRound />
            </span>
          )}
          <div className="officer-card__text">
            <span className="officer-card__label">{officer.title ?? t('messaging.officerCardLabel')}</span>
            <strong className="officer-card__name">{officer.displayName}</strong>
            {officer.officialPhone && (
              <a className="officer-card__phone" href={`tel:${officer.officialPhone}`}>
                <Phone className="icon" aria-hidden="true" />
                <span className="visually-hidden">{t('messaging.officialPhone')}: </span>
                {displayPhone(officer.officialPhone)}
                <BadgeCheck className="icon officer-card__verified" aria-label={t('messaging.verified')} />
              </a>
            )}
          </div>
        </>
      ) : (
        <p>{t('messaging.noOfficer')}</p>
      )}
    </section>
  )
}

/** The resident's chat with the police of their area (mobile first). */
export function AskPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('messaging.askTitle'))
  const session = useSession()
  const user = session.data ?? null
  const isResident = user?.kind === 'resident'
  // A QR poster's area page sends residents here with ?area=<slug>: a new account takes that area.
  const areaSlug = new URLSearchParams(useLocation().search).get('area')
  const askHere = areaSlug ? `/ask?area=${encodeURIComponent(areaSlug)}` : '/ask'
  const ask = useAskPage(isResident && !!user?.areaId)
  const qc = useQueryClient()
  const conversationId = ask.data?.conversation?.id ?? null
  // The question being typed: the procedures it seems to be about are shown before it is sent.
  const [draft, setDraft] = useState('')

  // The first message creates the conversation: learn its id once it is sent.
  useEffect(
    () =>
      sendQueue().onSent((sent) => {
        if (!conversationId && sent.conversationId) void qc.invalidateQueries({ queryKey: messagingKeys.ask })
      }),
    [conversationId, qc],
  )

  if (session.isLoading) return <h1>{t('messaging.askTitle')}</h1>
  if (!user)
    return (
      <>
        <h1>{t('messaging.askTitle')}</h1>
        <p className="ask__lead">{t('messaging.signInNeeded')}</p>
        <Link className="btn" to={`/sign-in?next=${encodeURIComponent(askHere)}`}>
          <LogIn className="icon" aria-hidden="true" /> {t('messaging.signIn')}
        </Link>
      </>
    )
  if (!isResident)
    return (
      <>
        <h1>{t('messaging.askTitle')}</h1>
        <p>{t('messaging.residentsOnly')}</p>
        <Link className="btn" to="/staff/inbox">
          {t('messaging.goInbox')}
        </Link>
      </>
    )

  if (!user.areaId) return <ChooseArea areaSlug={areaSlug} />

  return (
    <div className="ask">
      <h1>{t('messaging.askTitle')}</h1>
      <OfficerCard officer={ask.data?.officer ?? null} />
      {ask.data && <p className="ask__lead">{t('messaging.askIntro', { area: ask.data.areaName })}</p>}
      <ConnectionStatus />
      <Thread
        label={t('messaging.askTitle')}
        conversationId={conversationId}
        queueTarget="ask"
        userId={user.id}
        canPost
        showReceipts
        ensureConversation={async () => conversationId ?? (await messagingApi.openAsk()).conversationId}
        draft={draft}
        onDraftChange={setDraft}
      />
      <ProcedureSuggestions text={draft} />
    </div>
  )
}
