import type { TAreaDetail } from '@common/schemas/organisation'
import { ExternalLink, Save } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { formatDate } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { OfficerCard, officerName } from '../directory/OfficerCard'
import { AssignOfficerForm } from './AssignOfficerForm'
import { useArea, useEndAssignment, useUpdateArea } from './organisation-api'
import '../directory/directory.css'
import './organisation.css'

function AreaDetailsForm({ detail }: { detail: TAreaDetail }) {
  const { t } = useTranslation()
  const { area } = detail
  const update = useUpdateArea(area.id)
  const [form, setForm] = useState({
    name: area.name,
    address: area.address ?? '',
    householdCount: area.householdCount?.toString() ?? '',
    residentCount: area.residentCount?.toString() ?? '',
  })
  const num = (s: string) => (s.trim() === '' ? null : Number(s))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    update.mutate({
      name: form.name,
      address: form.address.trim() || null,
      householdCount: num(form.householdCount),
      residentCount: num(form.residentCount),
    })
  }
  const field = (key: keyof typeof form, label: string, type = 'text') => (
    <div className="org-field">
      <label htmlFor={`area-${key}`}>{label}</label>
      <input
        id={`area-${key}`}
        type={type}
        inputMode={type === 'number' ? 'numeric' : undefined}
        min={type === 'number' ? 0 : undefined}
        value={form[key]}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </div>
  )
  return (
    <form className="org-form form-panel" onSubmit={submit} aria-labelledby="area-edit-title">
      <h2 id="area-edit-title">{t('org.editTitle')}</h2>
      {field('name', t('org.nameLabel'))}
      {field('address', t('org.addressLabel'))}
      <div className="org-pair">
        {field('householdCount', t('org.householdsLabel'), 'number')}
        {field('residentCount', t('org.residentsLabel'), 'number')}
      </div>
      {update.isError && <p className="dir-error">{update.error.message}</p>}
      <button type="submit" className="btn btn--secondary" disabled={update.isPending}>
        <Save className="icon" aria-hidden="true" />
        {t('org.save')}
      </button>
      {update.isSuccess && <p role="status">{t('org.saved')}</p>}
    </form>
  )
}

/** /staff/areas/:id — the officer in charge, the form to assign or change them, and the history. */
export function StaffAreaPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, isError } = useArea(id)
  const end = useEndAssignment(id)
  useDocumentTitle(data?.area.name ?? t('org.title'))
  if (isLoading) return <p role="status">{t('org.loading')}</p>
  if (isError || !data) return <p role="alert">{t('org.loadError')}</p>
  const { area, unit } = data
  const current = data.assignments.find((a) => a.isCurrent)
  return (
    <>
      <nav aria-label={t('org.breadcrumb')} className="dir-crumbs">
        <ol>
          <li>
            <Link to="/staff/units">{t('org.title')}</Link>
          </li>
          <li>
            <Link to={`/staff/units/${unit.id}`}>{unit.name}</Link>
          </li>
        </ol>
      </nav>
      <div className="page-head org-page-head">
        <h1>{area.name}</h1>
        <Link to={`/a/${area.slug}`} className="btn btn--secondary">
          <ExternalLink className="icon" aria-hidden="true" />
          {t('org.publicPage')}
        </Link>
      </div>
      <section aria-labelledby="area-current">
        <h2 id="area-current">{t('org.currentOfficer')}</h2>
        {area.currentOfficer ? (
          <OfficerCard officer={area.currentOfficer} />
        ) : (
          <p className="dir-empty">{t('org.noCurrentOfficer')}</p>
        )}
        {current && data.can.assign && (
          <p>
            <button
              type="button"
              className="btn btn--secondary"
              disabled={end.isPending}
              onClick={() => end.mutate(current.id)}
            >
              {t('org.endCurrent')}
            </button>
          </p>
        )}
        {end.isSuccess && <p role="status">{t('org.ended')}</p>}
      </section>
      {data.can.assign ? (
        <AssignOfficerForm detail={data} />
      ) : (
        <p className="form-note">{t('org.readOnly')}</p>
      )}
      <section aria-labelledby="area-history">
        <h2 id="area-history">{t('org.history')}</h2>
        {data.assignments.length === 0 && <p>{t('org.historyEmpty')}</p>}
        <ul className="dir-list">
          {data.assignments.map((a) => (
            <li key={a.id} className="dir-row">
              <span className="dir-row__text">
                <strong>{officerName(a.officer)}</strong>
                <span className="dir-row__meta">
                  {a.endsAt
                    ? t('org.fromTo', { from: formatDate(a.startsAt), to: formatDate(a.endsAt) })
                    : t('org.from', { date: formatDate(a.startsAt) })}
                  {a.isCurrent && ` · ${t('org.current')}`}
                  {!a.isCurrent && new Date(a.startsAt) > new Date() && ` · ${t('org.planned')}`}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </section>
      {data.can.update && <AreaDetailsForm detail={data} />}
    </>
  )
}
