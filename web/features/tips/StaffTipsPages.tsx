import { FolderPlus } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { QuarantineTip } from './QuarantineTip'
import { AddToThread, StatusBadge, TipThread } from './TipThread'
import { useCreateCase, useStaffTips, useTip, useTipMessage, useUpdateTip } from './tips-api'
import '../auth/auth.css'
import './tips.css'

const FILTERS = ['open', 'mine', 'queue', 'all'] as const

/** /staff/tips: the triage queue, unanswered and overdue on top. */
export function StaffTipsPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffTips'))
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('open')
  const { data, isLoading } = useStaffTips(filter)
  return (
    <>
      <h1>{t('pages.staffTips')}</h1>
      <fieldset className="tip-filters">
        <legend className="visually-hidden">{t('tips.staff.filterLabel')}</legend>
        {FILTERS.map((f) => (
          <button
            key={f}
            type="button"
            className="btn btn--secondary"
            aria-pressed={filter === f}
            onClick={() => setFilter(f)}
          >
            {t(`tips.staff.filter.${f}`)}
          </button>
        ))}
      </fieldset>
      {isLoading && <p role="status">{t('tips.loading')}</p>}
      {data?.length === 0 && <p>{t('tips.staff.empty')}</p>}
      <ul className="tip-list">
        {data?.map((tip) => (
          <li key={tip.id} className="tip-card">
            <StatusBadge kind="tip" status={tip.status} overdue={tip.overdue} />{' '}
            <Link to={`/staff/tips/${tip.id}`}>
              {tip.reference} · {t(`tips.category.${tip.category}`)}
            </Link>
            {tip.isAnonymous && <span className="tip-tag">{t('tips.anonymousTag')}</span>}
            {tip.quarantined && <span className="tip-tag">{t('tips.quarantine.tag')}</span>}
            <p>{tip.excerpt}</p>
            <p className="field__hint">
              {tip.areaName} · {formatDateTime(tip.createdAt)} ·{' '}
              {tip.assigneeName ?? t('tips.staff.dutyQueue')}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}

/** /staff/tips/:id: read, reply to the tipster, open a case. */
export function StaffTipPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { data } = useTip(id)
  const reply = useTipMessage(id)
  const update = useUpdateTip(id)
  const createCase = useCreateCase()
  useDocumentTitle(data?.reference ?? t('pages.staffTips'))
  if (!data) return <p role="status">{t('tips.loading')}</p>
  const openCase = async () => {
    const c = await createCase.mutateAsync({
      title: `${t(`tips.category.${data.category}`)} — ${data.area.name}`,
      tipIds: [data.id],
    })
    navigate(`/staff/cases/${c.id}`)
  }
  return (
    <>
      <h1>{t('tips.staff.one', { reference: data.reference })}</h1>
      {data.sender && (
        <p className="tip-sender">
          {t('tips.staff.sender')}: {data.sender.displayName}{' '}
          {data.sender.phone ? `· ${data.sender.phone}` : ''}
        </p>
      )}
      {data.isAnonymous && <p className="tip-tag">{t('tips.staff.anonymousNote')}</p>}
      <TipThread tip={data} />
      <div className="tip-actions">
        {data.caseId ? (
          <Link to={`/staff/cases/${data.caseId}`} className="btn btn--secondary">
            {t('tips.staff.goToCase')}
          </Link>
        ) : (
          <button
            type="button"
            className="btn"
            onClick={() => void openCase()}
            disabled={createCase.isPending}
          >
            <FolderPlus className="icon" aria-hidden="true" />
            {t('tips.staff.openCase')}
          </button>
        )}
        {data.status !== 'closed' && !data.caseId && (
          <button
            type="button"
            className="btn btn--secondary"
            onClick={() => update.mutate({ status: 'closed' })}
          >
            {t('tips.staff.close')}
          </button>
        )}
      </div>
      <QuarantineTip tip={data} />
      <AddToThread
        label={t('tips.staff.reply')}
        withFiles={false}
        onSend={(f) => reply.mutateAsync(f)}
        pending={reply.isPending}
      />
    </>
  )
}
