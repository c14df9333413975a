import { groupKindValues } from '@common/schemas/messaging'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ChevronRight, Users } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useSession } from '../auth/use-session'
import { ConnectionStatus } from './ConnectionStatus'
import { GroupModeration } from './GroupModeration'
import { GuidanceForm } from './GuidanceForm'
import { messagingApi, messagingKeys } from './messaging-api'
import { Thread } from './Thread'
import './messaging.css'

/** One group: its pinned and recent messages, the composer when the caller may post, moderation tools. */
export function GroupPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const session = useSession()
  // A resident's question for the police: it mentions the area officer and waits in their inbox.
  const [askPolice, setAskPolice] = useState(false)
  const group = useQuery({
    queryKey: messagingKeys.group(id),
    queryFn: () => messagingApi.group(id),
    retry: false,
  })
  useDocumentTitle(group.data?.name ?? t('messaging.groups.title'))
  const g = group.data
  if (group.error)
    return (
      <p role="alert">{group.error instanceof ApiError ? (group.error.detail ?? group.error.title) : ''}</p>
    )
  if (!g) return null
  const canModerate = g.can.includes('moderate')
  const isPending = g.myStatus === 'pending'
  const blocked = isPending
    ? t('messaging.groups.pendingNotice')
    : g.myStatus === 'muted'
      ? t('messaging.groups.mutedNotice')
      : t('messaging.groups.announcementOnly')
  return (
    <div className="group-page">
      <header className="group-page__head">
        <h1>{g.name}</h1>
        <p className="group-page__meta">
          {t(`messaging.groups.kinds.${g.kind}`)} · {g.unitName} ·{' '}
          <Users className="icon" aria-hidden="true" />{' '}
          {t('messaging.groups.members', { count: g.memberCount })}
        </p>
        {g.description && <p>{g.description}</p>}
      </header>
      <ConnectionStatus />
      {!isPending && g.can.includes('postGuidance') && <GuidanceForm conversationId={g.conversationId} />}
      {isPending ? (
        <p className="thread__blocked">{blocked}</p>
      ) : (
        <Thread
          label={g.name}
          conversationId={g.conversationId}
          queueTarget={g.conversationId}
          room={`group:${g.id}`}
          userId={session.data?.id ?? null}
          canPost={g.can.includes('post')}
          canModerate={canModerate}
          canReport={g.can.includes('report')}
          ensureConversation={async () => g.conversationId}
          blockedNotice={blocked}
          sendExtras={askPolice ? { askPolice: true } : undefined}
        />
      )}
      {!isPending && session.data?.kind === 'resident' && g.can.includes('post') && (
        <label className="group-page__ask-police">
          <input type="checkbox" checked={askPolice} onChange={(e) => setAskPolice(e.target.checked)} />
          {t('messaging.askPolice.toggle')}
        </label>
      )}
      {canModerate && <GroupModeration group={g} />}
    </div>
  )
}

/** The groups the caller belongs to (and, for staff, the groups of their areas) and creating one. */
export function GroupsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('messaging.groups.title'))
  const session = useSession()
  const groups = useQuery({
    queryKey: messagingKeys.groups,
    queryFn: messagingApi.groups,
    enabled: !!session.data,
  })
  return (
    <div className="groups-page">
      <h1>{t('messaging.groups.title')}</h1>
      {groups.data?.groups.length === 0 && <p>{t('messaging.groups.empty')}</p>}
      <ul className="group-list">
        {groups.data?.groups.map((g) => (
          <li key={g.id}>
            <Link className="group-list__item" to={`/groups/${g.id}`}>
              <span>
                <strong>{g.name}</strong>
                <span className="group-list__meta">
                  {t(`messaging.groups.kinds.${g.kind}`)} ·{' '}
                  {t('messaging.groups.members', { count: g.memberCount })}
                  {g.myStatus === 'pending' && ` · ${t('messaging.groups.pending')}`}
                </span>
              </span>
              {g.read && g.read.unread > 0 && (
                <span className="badge">{t('messaging.inbox.unread', { count: g.read.unread })}</span>
              )}
              <ChevronRight className="icon" aria-hidden="true" />
            </Link>
          </li>
        ))}
      </ul>
      {session.data?.kind === 'staff' && <CreateGroupForm />}
    </div>
  )
}

function CreateGroupForm() {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const units = useQuery({
    queryKey: ['messaging', 'my-units'],
    queryFn: () => apiFetch<{ id: string; name: string }[]>('/api/groups/units'),
  })
  const [form, setForm] = useState({
    name: '',
    description: '',
    kind: 'residential_area',
    unitId: '',
    postingPolicy: 'everyone',
    joinPolicy: 'approval',
  })
  const create = useMutation({
    mutationFn: () => apiFetch<{ id: string }>('/api/groups', { method: 'POST', body: form }),
    onSuccess: (g) => {
      void qc.invalidateQueries({ queryKey: messagingKeys.groups })
      void navigate(`/groups/${g.id}`)
    },
  })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value })
  const err = create.error instanceof ApiError ? create.error : null
  return (
    <form
      className="card-form"
      onSubmit={(e) => {
        e.preventDefault()
        create.mutate()
      }}
    >
      <h2>{t('messaging.groups.create')}</h2>
      <label>
        {t('messaging.groups.name')}
        <input value={form.name} onChange={set('name')} required minLength={3} maxLength={120} />
      </label>
      {err?.fieldMessage('name') && <p role="alert">{err.fieldMessage('name')}</p>}
      <label>
        {t('messaging.groups.unit')}
        <select value={form.unitId} onChange={set('unitId')} required>
          <option value="" />
          {units.data?.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('messaging.groups.kind')}
        <select value={form.kind} onChange={set('kind')}>
          {groupKindValues.map((k) => (
            <option key={k} value={k}>
              {t(`messaging.groups.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('messaging.groups.postingPolicy')}
        <select value={form.postingPolicy} onChange={set('postingPolicy')}>
          <option value="everyone">{t('messaging.groups.posting.everyone')}</option>
          <option value="staff_and_moderators">{t('messaging.groups.posting.staff_and_moderators')}</option>
        </select>
      </label>
      <label>
        {t('messaging.groups.joinPolicy')}
        <select value={form.joinPolicy} onChange={set('joinPolicy')}>
          <option value="approval">{t('messaging.groups.joining.approval')}</option>
          <option value="open">{t('messaging.groups.joining.open')}</option>
        </select>
      </label>
      <label>
        {t('messaging.groups.description')}
        <textarea value={form.description} onChange={set('description')} rows={3} />
      </label>
      {err && !err.errors?.length && <p role="alert">{err.detail ?? err.title}</p>}
      <button type="submit" className="btn" disabled={create.isPending}>
        {t('messaging.groups.create')}
      </button>
    </form>
  )
}

/** The invite link's page: what the group is, and one button to join. */
export function GroupJoinPage() {
  const { t } = useTranslation()
  const { code = '' } = useParams()
  const navigate = useNavigate()
  const session = useSession()
  useDocumentTitle(t('messaging.groups.joinTitle'))
  const preview = useQuery({
    queryKey: ['messaging', 'invite-preview', code],
    queryFn: () => messagingApi.preview(code),
    enabled: !!session.data,
    retry: false,
  })
  const join = useMutation({
    mutationFn: () => messagingApi.join(code),
    onSuccess: (g) => void navigate(`/groups/${g.id}`),
  })
  if (!session.isLoading && !session.data)
    return (
      <>
        <h1>{t('messaging.groups.joinTitle')}</h1>
        <p>{t('messaging.signInNeeded')}</p>
        <Link className="btn" to={`/sign-in?next=/groups/join/${code}`}>
          {t('messaging.signIn')}
        </Link>
      </>
    )
  const err = (preview.error ?? join.error) as ApiError | null
  return (
    <div className="join-page">
      <h1>{t('messaging.groups.joinTitle')}</h1>
      {err && <p role="alert">{err.detail ?? err.title}</p>}
      {preview.data && (
        <>
          <p className="ask__lead">
            {t('messaging.groups.joinLead', { name: preview.data.name, unit: preview.data.unitName })}
          </p>
          {preview.data.joinPolicy === 'approval' && <p>{t('messaging.groups.joinApprovalHint')}</p>}
          <button type="button" className="btn" onClick={() => join.mutate()} disabled={join.isPending}>
            {t('messaging.groups.join')}
          </button>
        </>
      )}
    </div>
  )
}
