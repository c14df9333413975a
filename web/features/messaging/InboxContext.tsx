import type { TConversationView } from '@common/schemas/messaging'
import { useMutation, useQuery } from '@tanstack/react-query'
import { BookOpenText, MessageSquareText, UserRound } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { displayPhone } from './AskPage'
import { messagingApi, messagingKeys } from './messaging-api'
import { sendQueue } from './send-queue'

/** The right column: canned replies, procedures that match the question, the resident's details. */
export function InboxContext({
  conversation: c,
  onUseCanned,
}: {
  conversation: TConversationView
  onUseCanned: (body: string) => void
}) {
  const { t, i18n } = useTranslation()
  const canned = useQuery({ queryKey: messagingKeys.canned(c.id), queryFn: () => messagingApi.canned(c.id) })
  const question = c.lastMessage && !c.lastMessage.isStaff ? c.lastMessage.excerpt : ''
  const procedures = useQuery({
    queryKey: ['messaging', 'procedures', question],
    queryFn: () => messagingApi.procedures(question),
    enabled: question.length > 3,
    retry: false,
  })
  // Personal data is fetched only when asked for: each read is written to the audit log.
  const details = useMutation({ mutationFn: () => messagingApi.context(c.id) })
  const resident = details.data?.resident

  return (
    <aside className="inbox__context" aria-label={t('messaging.inbox.contextTitle')}>
      <section>
        <h3>
          <MessageSquareText className="icon" aria-hidden="true" /> {t('messaging.inbox.canned')}
        </h3>
        {canned.data?.length === 0 && <p>{t('messaging.inbox.noCanned')}</p>}
        <ul className="context-list">
          {canned.data?.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="btn btn--secondary btn--small"
                onClick={() => onUseCanned(r.body)}
              >
                {t('messaging.inbox.useCanned', { title: r.title })}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section>
        <h3>
          <BookOpenText className="icon" aria-hidden="true" /> {t('messaging.inbox.procedures')}
        </h3>
        {procedures.data?.none && <p>{t('messaging.inbox.procedureNone')}</p>}
        {procedures.data && !procedures.data.none && procedures.data.results.length === 0 && (
          <p>{t('messaging.inbox.noProcedures')}</p>
        )}
        <ul className="context-list">
          {procedures.data?.results.map((p) => {
            const title = i18n.language === 'en' ? p.titleEn : p.title
            return (
              <li key={p.id}>
                <button
                  type="button"
                  className="btn btn--secondary btn--small"
                  onClick={() =>
                    sendQueue().enqueue(c.id, { body: '', procedure: { procedureId: p.id, title: p.title } })
                  }
                >
                  {t('messaging.inbox.linkProcedure', { title })}
                </button>
                {p.why.length > 0 && (
                  <p className="context-why">
                    {t('messaging.inbox.procedureWhy', {
                      reasons: p.why
                        .map((w) => (w.said.toLowerCase() === w.means ? w.said : `${w.said} → ${w.means}`))
                        .join('; '),
                    })}
                  </p>
                )}
              </li>
            )
          })}
        </ul>
      </section>
      <section>
        <h3>
          <UserRound className="icon" aria-hidden="true" /> {t('messaging.inbox.contextTitle')}
        </h3>
        {resident ? (
          <dl className="context-details">
            <dt>{t('messaging.inbox.contextTitle')}</dt>
            <dd>{resident.fullName ?? resident.displayName}</dd>
            <dt>{t('messaging.inbox.phone')}</dt>
            <dd>
              {resident.phone ? <a href={`tel:${resident.phone}`}>{displayPhone(resident.phone)}</a> : '—'}
            </dd>
            <dt>{t('messaging.inbox.address')}</dt>
            <dd>{resident.address ?? '—'}</dd>
            <dt>{t('messaging.inbox.area')}</dt>
            <dd>{resident.areaName ?? '—'}</dd>
          </dl>
        ) : (
          <>
            <p className="context-hint">{t('messaging.inbox.contextAudit')}</p>
            <button type="button" className="btn btn--secondary btn--small" onClick={() => details.mutate()}>
              {t('messaging.inbox.showContext')}
            </button>
          </>
        )}
        {details.data && details.data.transfers.length > 0 && (
          <>
            <h4>{t('messaging.inbox.transfers')}</h4>
            <ul className="context-list">
              {details.data.transfers.map((tr) => (
                <li key={tr.at}>
                  {tr.fromName ?? '—'} → {tr.toName}: {tr.note}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </aside>
  )
}
