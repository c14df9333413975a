import { caseOutcomeValues, caseStatusValues } from '@common/schemas/cases'
import { Download } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { LoadProblem } from '../../components/LoadProblem'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { HelpRequestForm } from './HelpRequestForm'
import { TextField } from './TipForm.parts'
import { EvidenceList, StatusBadge } from './TipThread'
import { useCase, useCases, useUpdateCase } from './tips-api'
import '../auth/auth.css'
import './tips.css'

/** /staff/cases: open cases first by priority. */
export function StaffCasesPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffCases'))
  const { data } = useCases('')
  return (
    <>
      <div className="page-head">
        <h1>{t('pages.staffCases')}</h1>
        <Link to="/staff/map" className="btn btn--secondary">
          {t('tips.map.title')}
        </Link>
      </div>
      {data?.length === 0 && <p>{t('cases.empty')}</p>}
      <ul className="tip-list">
        {data?.map((c) => (
          <li key={c.id} className="tip-card">
            <StatusBadge kind="case" status={c.status} />{' '}
            <Link to={`/staff/cases/${c.id}`}>{`${c.reference} · ${c.title}`}</Link>
            <p className="field__hint">
              {t(`cases.priority.${c.priority}`)} · {c.areaName} ·{' '}
              {t('cases.tipCount', { count: c.tipCount })}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}

function StatusForm({
  id,
  status,
  outcome: current,
}: {
  id: string
  status: string
  outcome: string | null
}) {
  const { t } = useTranslation()
  const update = useUpdateCase(id)
  const [next, setNext] = useState(status)
  const [outcome, setOutcome] = useState(current ?? '')
  const [closing, setClosing] = useState('')
  const err = update.error instanceof ApiError ? update.error : undefined
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({
      status: next as (typeof caseStatusValues)[number],
      ...(outcome ? { outcome: outcome as (typeof caseOutcomeValues)[number] } : {}),
      ...(closing.trim() ? { closingMessage: closing } : {}),
    })
  }
  const finishing = next === 'resolved' || next === 'closed'
  return (
    <form className="form-card" onSubmit={onSubmit}>
      <h2>{t('cases.update')}</h2>
      <div className="field">
        <label htmlFor="case-status">{t('cases.statusLabel')}</label>
        <select id="case-status" value={next} onChange={(e) => setNext(e.target.value)}>
          {caseStatusValues.map((s) => (
            <option key={s} value={s}>
              {t(`cases.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {finishing && (
        <>
          <div className="field">
            <label htmlFor="case-outcome">{t('cases.outcomeLabel')}</label>
            <select
              id="case-outcome"
              value={outcome}
              onChange={(e) => setOutcome(e.target.value)}
              aria-invalid={err?.fieldMessage('outcome') ? true : undefined}
            >
              <option value="">—</option>
              {caseOutcomeValues.map((o) => (
                <option key={o} value={o}>
                  {t(`cases.outcome.${o}`)}
                </option>
              ))}
            </select>
            {err?.fieldMessage('outcome') && (
              <span className="field__error">{err.fieldMessage('outcome')}</span>
            )}
          </div>
          <TextField
            name="closingMessage"
            label={t('cases.closingMessage')}
            hint={t('cases.closingHint')}
            value={closing}
            onChange={setClosing}
            multiline
          />
        </>
      )}
      <button type="submit" className="btn" disabled={update.isPending}>
        {t('cases.save')}
      </button>
    </form>
  )
}

/** /staff/cases/:id: the case, its tips, evidence with hashes, timeline, requests for help. */
export function StaffCasePage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const { data, error } = useCase(id)
  useDocumentTitle(data ? `${data.reference} · ${data.title}` : t('pages.staffCases'))
  if (error && !data) return <LoadProblem error={error} />
  if (!data) return <p role="status">{t('tips.loading')}</p>
  return (
    <>
      <h1>{`${data.reference} · ${data.title}`}</h1>
      <p>
        <StatusBadge kind="case" status={data.status} /> {t(`cases.priority.${data.priority}`)} ·{' '}
        {data.area.name}
        {data.outcome && ` · ${t(`cases.outcome.${data.outcome}`)}`}
      </p>
      <div className="tip-actions">
        <a className="btn btn--secondary" href={`/api/cases/${data.id}/export`} download>
          <Download className="icon" aria-hidden="true" />
          {t('cases.export')}
        </a>
      </div>
      <section aria-labelledby="case-tips">
        <h2 id="case-tips">{t('cases.tips')}</h2>
        <ul className="tip-list">
          {data.tips.map((tip) => (
            <li key={tip.id}>
              <Link to={`/staff/tips/${tip.id}`}>{tip.reference}</Link> — {tip.excerpt}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="case-evidence">
        <h2 id="case-evidence">{t('cases.evidence')}</h2>
        <EvidenceList files={data.evidence} />
        <table className="evidence-table">
          <thead>
            <tr>
              <th scope="col">{t('cases.file')}</th>
              <th scope="col">SHA-256</th>
              <th scope="col">{t('cases.addedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {data.evidence.map((f) => (
              <tr key={f.id}>
                <td>
                  {t(`cases.kind.${f.kind}`)}
                  {f.redactsId ? ` (${t('cases.redaction')})` : ''}
                </td>
                <td className="mono">{f.sha256.slice(0, 16)}…</td>
                <td>
                  {f.addedBy?.name ?? t(`cases.role.${f.addedBy?.role ?? 'tipster'}`)} ·{' '}
                  {formatDateTime(f.createdAt)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="case-help">
        <h2 id="case-help">{t('help.staffHeading')}</h2>
        {data.helpRequests.map((h) => (
          <div key={h.id} className="tip-card">
            <p>
              <strong>{h.description}</strong> · {h.targets.map((x) => x.name).join(', ')}
            </p>
            {h.closingMessage && <p className="help-closing">{h.closingMessage}</p>}
            <ul className="tip-messages">
              {h.responses.map((r) => (
                <li key={r.id} className="tip-message">
                  <p className="tip-message__who">
                    {r.responder ? r.responder.displayName : t('help.responderErased')}
                  </p>
                  <p>{r.body}</p>
                  <EvidenceList files={r.files} />
                </li>
              ))}
            </ul>
          </div>
        ))}
        {data.status !== 'resolved' && data.status !== 'closed' && <HelpRequestForm c={data} />}
      </section>
      <StatusForm key={data.status} id={data.id} status={data.status} outcome={data.outcome} />
      <section aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t('cases.timeline')}</h2>
        <ol className="case-timeline">
          {data.timeline.map((e) => (
            <li key={e.id}>
              <span className="field__hint">{formatDateTime(e.at)}</span>{' '}
              {t(`cases.event.${e.type}`, { defaultValue: e.type })}
              {e.actorName ? ` — ${e.actorName}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  )
}
