import type { TProcedureDetail } from '@common/schemas/procedures'
import { ArrowLeft, ExternalLink, Save } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { useDocumentTitle } from '../../lib/use-document-title'
import { ProcedureReviewItems } from './ProcedureReviewItems'
import { useProcedure, useProcedureVersions, useUpdateProcedure } from './procedures-api'
import './procedures.css'

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)

function EditForm({ p, update }: { p: TProcedureDetail; update: ReturnType<typeof useUpdateProcedure> }) {
  const { t } = useTranslation()
  const [form, setForm] = useState({
    handlingBody: p.handlingBody,
    requiredDocuments: p.requiredDocuments.join('\n'),
    timeLimit: p.timeLimit,
    fee: p.fee,
    legalBasis: p.legalBasis.join('\n'),
    keywords: (p.staff?.keywords ?? []).join('\n'),
    reviewBy: p.staff?.reviewBy ?? '',
    awaitingLegalReview: p.staff?.awaitingLegalReview ?? false,
    note: '',
  })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({
      handlingBody: form.handlingBody,
      requiredDocuments: lines(form.requiredDocuments),
      timeLimit: form.timeLimit,
      fee: form.fee,
      legalBasis: lines(form.legalBasis),
      keywords: lines(form.keywords),
      reviewBy: form.reviewBy || null,
      awaitingLegalReview: form.awaitingLegalReview,
      ...(form.note.trim() ? { note: form.note.trim() } : {}),
    })
  }
  const area = (k: keyof typeof form, rows = 3) => (
    <div className="org-field">
      <label htmlFor={`proc-${k}`}>{t(`procedures.staff.fields.${k}`)}</label>
      <textarea id={`proc-${k}`} rows={rows} value={String(form[k])} onChange={set(k)} />
    </div>
  )
  return (
    <form className="org-form proc-edit" aria-labelledby="proc-edit-title" onSubmit={submit}>
      <h2 id="proc-edit-title">{t('procedures.staff.edit')}</h2>
      {area('handlingBody')}
      {area('requiredDocuments', 6)}
      {area('timeLimit', 2)}
      {area('fee', 2)}
      {area('legalBasis', 4)}
      {area('keywords', 4)}
      <div className="org-field">
        <label htmlFor="proc-reviewBy">{t('procedures.staff.fields.reviewBy')}</label>
        <input id="proc-reviewBy" type="date" value={form.reviewBy} onChange={set('reviewBy')} />
      </div>
      <label className="proc-check">
        <input
          type="checkbox"
          checked={form.awaitingLegalReview}
          onChange={(e) => setForm({ ...form, awaitingLegalReview: e.target.checked })}
        />
        {t('procedures.staff.fields.awaitingLegalReview')}
      </label>
      <div className="org-field">
        <label htmlFor="proc-note">{t('procedures.staff.fields.note')}</label>
        <input id="proc-note" value={form.note} onChange={set('note')} maxLength={500} />
      </div>
      <button className="btn" type="submit" disabled={update.isPending}>
        <Save className="icon" aria-hidden="true" />
        {t('procedures.staff.save')}
      </button>
      {update.isError && <p role="alert">{update.error.message}</p>}
    </form>
  )
}

function Versions({ id }: { id: string }) {
  const { t } = useTranslation()
  const { data } = useProcedureVersions(id)
  if (!data) return null
  return (
    <section aria-labelledby="proc-versions">
      <h2 id="proc-versions">{t('procedures.staff.versions')}</h2>
      <ol className="proc-versions" reversed>
        {data.versions.map((v) => (
          <li key={v.version}>
            <strong>
              {t('procedures.staff.version', { version: v.version })} ·{' '}
              {v.createdAt.slice(0, 16).replace('T', ' ')}
            </strong>{' '}
            — {v.changedBy?.displayName ?? t('procedures.staff.imported')}
            {v.changedFields.length > 0 && <> ({v.changedFields.join(', ')})</>}
            {v.note && <div className="proc-row__meta">{v.note}</div>}
          </li>
        ))}
      </ol>
    </section>
  )
}

/** /staff/procedures/:id: review state, editing (commanders, admins) and the version history. */
export function StaffProcedurePage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const { data: p, isError } = useProcedure(id)
  // Kept above the form: the form remounts with the new version once saved.
  const update = useUpdateProcedure(id)
  useDocumentTitle(p?.nameVi ?? t('procedures.staff.title'))
  if (isError) return <p role="alert">{t('procedures.loadError')}</p>
  if (!p) return <p role="status">{t('procedures.loading')}</p>
  return (
    <>
      <Link className="proc-back" to="/staff/procedures">
        <ArrowLeft className="icon" aria-hidden="true" />
        {t('procedures.staff.title')}
      </Link>
      <h1>{p.nameVi}</h1>
      <p>
        <Link to={`/procedures/${p.id}`}>
          {t('procedures.staff.publicPage')} <ExternalLink className="icon" aria-hidden="true" />
        </Link>
      </p>
      {p.staff?.awaitingLegalReview && (
        <p className="proc-review" role="note">
          {t('procedures.awaitingReview')}
        </p>
      )}
      {p.staff && (
        <p className="proc-row__meta">
          {t('procedures.staff.provenance', {
            level: t(`procedures.staff.level.${p.staff.provenance.level}`, p.staff.provenance.level),
          })}
          {p.staff.provenance.note ? ` — ${p.staff.provenance.note}` : ''}
        </p>
      )}
      {p.staff && <ProcedureReviewItems staff={p.staff} />}
      {update.isSuccess && (
        <p role="status">{t('procedures.staff.saved', { version: update.data.version })}</p>
      )}
      {p.staff?.can.edit ? (
        <EditForm key={p.version} p={p} update={update} />
      ) : (
        <p>{t('procedures.staff.readOnly')}</p>
      )}
      <Versions id={p.id} />
    </>
  )
}
