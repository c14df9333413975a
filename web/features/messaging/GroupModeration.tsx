import type { TGroupView, TMemberView } from '@common/schemas/messaging'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { displayPhone } from './AskPage'
import { messagingApi, messagingKeys } from './messaging-api'

/** Moderation tools: invite link and QR code, approvals, members (mute, remove, roles), reports. */
export function GroupModeration({ group }: { group: TGroupView }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [copied, setCopied] = useState(false)
  const invite = useQuery({
    queryKey: messagingKeys.invite(group.id),
    queryFn: () => messagingApi.invite(group.id),
  })
  const members = useQuery({
    queryKey: messagingKeys.members(group.id),
    queryFn: () => messagingApi.members(group.id),
  })
  const reports = useQuery({
    queryKey: messagingKeys.reports(group.id),
    queryFn: () => messagingApi.reports(group.id),
  })
  const update = useMutation({
    mutationFn: (v: { userId: string; body: { role?: string; status?: string; mutedMinutes?: number } }) =>
      messagingApi.updateMember(group.id, v.userId, v.body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: messagingKeys.members(group.id) })
      void qc.invalidateQueries({ queryKey: messagingKeys.group(group.id) })
    },
  })
  const list = members.data?.members ?? []
  const pending = list.filter((m) => m.status === 'pending')
  const current = list.filter((m) => m.status !== 'pending')
  const isOwnerOrStaff = group.myRole === 'owner' || group.can.includes('work') || group.myRole === null

  const memberButtons = (m: TMemberView) => {
    if (m.role === 'owner') return null
    const act = (body: { role?: string; status?: string; mutedMinutes?: number }) =>
      update.mutate({ userId: m.userId, body })
    return (
      <span className="member__actions">
        {m.status === 'muted' ? (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            onClick={() => act({ status: 'active' })}
          >
            {t('messaging.groups.unmute')}
          </button>
        ) : (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            onClick={() => act({ status: 'muted', mutedMinutes: 1440 })}
          >
            {t('messaging.groups.mute')}
          </button>
        )}
        {isOwnerOrStaff && (
          <button
            type="button"
            className="btn btn--small btn--secondary"
            onClick={() => act({ role: m.role === 'moderator' ? 'member' : 'moderator' })}
          >
            {m.role === 'moderator'
              ? t('messaging.groups.unmakeModerator')
              : t('messaging.groups.makeModerator')}
          </button>
        )}
        <button
          type="button"
          className="btn btn--small btn--secondary"
          onClick={() => act({ status: 'removed' })}
        >
          {t('messaging.groups.remove')}
        </button>
      </span>
    )
  }

  return (
    <aside className="moderation" aria-labelledby="moderation-title">
      <h2 id="moderation-title">{t('messaging.groups.moderation')}</h2>
      {invite.data && (
        <section>
          <h3>{t('messaging.groups.invite')}</h3>
          <p>{t('messaging.groups.inviteHint')}</p>
          <img
            className="moderation__qr"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(invite.data.qrSvg)}`}
            alt={t('messaging.groups.qrAlt', { name: group.name })}
            width={180}
            height={180}
          />
          <p className="moderation__link">
            <code>{invite.data.url}</code>
            <button
              type="button"
              className="btn btn--small btn--secondary"
              onClick={() => {
                void navigator.clipboard?.writeText(invite.data.url).then(() => setCopied(true))
              }}
            >
              {copied ? t('messaging.groups.copied') : t('messaging.groups.copyLink')}
            </button>
          </p>
        </section>
      )}
      {pending.length > 0 && (
        <section>
          <h3>{t('messaging.groups.pendingList')}</h3>
          <ul className="member-list">
            {pending.map((m) => (
              <li key={m.userId}>
                <span>{m.displayName}</span>
                <button
                  type="button"
                  className="btn btn--small"
                  onClick={() => update.mutate({ userId: m.userId, body: { status: 'active' } })}
                >
                  {t('messaging.groups.approve')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section>
        <h3>{t('messaging.groups.reports')}</h3>
        {reports.data?.length ? (
          <ul className="member-list">
            {reports.data.map((r) => (
              <li key={r.id}>
                <span>
                  {t('messaging.groups.reportedBy', { name: r.reporterName, reason: r.reason })} — “
                  {r.excerpt}”
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('messaging.groups.noReports')}</p>
        )}
      </section>
      <section>
        <h3>{t('messaging.groups.memberList')}</h3>
        <ul className="member-list">
          {current.map((m) => (
            <li key={m.userId}>
              <span>
                {m.displayName} · {t(`messaging.groups.role.${m.role}`)}
                {m.phone ? ` · ${displayPhone(m.phone)}` : ''}
              </span>
              {memberButtons(m)}
            </li>
          ))}
        </ul>
      </section>
    </aside>
  )
}
