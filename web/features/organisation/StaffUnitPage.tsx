import type { TUnitListItem } from '@common/schemas/organisation'
import {
  ChevronRight,
  ExternalLink,
  MapPin,
  MessageCircle,
  MessageSquareText,
  Plus,
  QrCode,
  UserRoundX,
} from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { ApiError } from '../../api/client'
import { formatNumber } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { officerName } from '../directory/OfficerCard'
import { useCreateArea, useUnit, useUnitOfficers } from './organisation-api'
import '../directory/directory.css'
import './organisation.css'

function AreaRow({ area }: { area: TUnitListItem }) {
  const { t, i18n } = useTranslation()
  const lang = i18n.language === 'en' ? 'en' : 'vi'
  return (
    <li>
      <Link className="dir-row" to={`/staff/areas/${area.id}`}>
        <MapPin className="icon" aria-hidden="true" />
        <span className="dir-row__text">
          <strong>{area.name}</strong>
          <span className="dir-row__meta">
            {area.householdCount !== null &&
              t('org.households', { n: formatNumber(area.householdCount, lang) })}
          </span>
          {area.currentOfficer ? (
            <span className="org-officer">{officerName(area.currentOfficer)}</span>
          ) : (
            <span className="org-unassigned">
              <UserRoundX className="icon" aria-hidden="true" />
              {t('org.unassigned')}
            </span>
          )}
        </span>
        <ChevronRight className="icon" aria-hidden="true" />
      </Link>
    </li>
  )
}

function NewAreaForm({ unitId }: { unitId: string }) {
  const { t } = useTranslation()
  const [name, setName] = useState('')
  const create = useCreateArea(unitId)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (name.trim()) create.mutate({ name: name.trim() }, { onSuccess: () => setName('') })
  }
  const error = create.error instanceof ApiError ? create.error : null
  return (
    <form className="org-form org-form--inline" onSubmit={submit}>
      <label htmlFor="new-area">{t('org.newArea')}</label>
      <div className="dir-search__row">
        <input id="new-area" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="btn" disabled={create.isPending}>
          <Plus className="icon" aria-hidden="true" />
          {t('org.create')}
        </button>
      </div>
      {error && <p className="dir-error">{error.fieldMessage('name') ?? error.detail ?? error.title}</p>}
      {create.isSuccess && <p role="status">{t('org.created', { name: create.data.name })}</p>}
    </form>
  )
}

/** /staff/units/:id — a unit: its residential groups with who covers each, and its officers. */
export function StaffUnitPage() {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, isError } = useUnit(id)
  const officers = useUnitOfficers(data ? id : undefined)
  useDocumentTitle(data?.unit.name ?? t('org.title'))
  if (isLoading) return <p role="status">{t('org.loading')}</p>
  if (isError || !data) return <p role="alert">{t('org.loadError')}</p>
  const areas = data.children.filter((c) => c.isArea)
  const subUnits = data.children.filter((c) => !c.isArea)
  return (
    <>
      <nav aria-label={t('org.breadcrumb')} className="dir-crumbs">
        <ol>
          <li>
            <Link to="/staff/units">{t('org.title')}</Link>
          </li>
          {data.ancestors.map((a) => (
            <li key={a.id}>
              <Link to={`/staff/units/${a.id}`}>{a.name}</Link>
            </li>
          ))}
        </ol>
      </nav>
      <div className="page-head org-page-head">
        <h1>{data.unit.name}</h1>
        <Link to={`/u/${data.unit.slug}`} className="btn btn--secondary">
          <ExternalLink className="icon" aria-hidden="true" />
          {t('org.publicPage')}
        </Link>
        {data.can.manage && (
          <Link to={`/staff/units/${data.unit.id}/sms`} className="btn btn--secondary">
            <MessageSquareText className="icon" aria-hidden="true" />
            {t('sms.budget.navLink')}
          </Link>
        )}
        {data.can.manage && areas.length > 0 && (
          <Link to={`/staff/units/${data.unit.id}/posters`} className="btn btn--secondary">
            <QrCode className="icon" aria-hidden="true" />
            {t('posters.navLink')}
          </Link>
        )}
        {data.can.manage && (
          <Link to={`/staff/units/${data.unit.id}/channels`} className="btn btn--secondary">
            <MessageCircle className="icon" aria-hidden="true" />
            {t('channels.navLink')}
          </Link>
        )}
      </div>
      {(areas.length > 0 || data.unit.level === 'commune') && (
        <section aria-labelledby="org-areas">
          <h2 id="org-areas">
            {t('org.areas')}{' '}
            <span className="dir-count">({t('org.areaCount', { count: areas.length })})</span>
          </h2>
          {areas.length === 0 && <p>{t('org.noAreas')}</p>}
          <ul className="dir-list">
            {areas.map((a) => (
              <AreaRow key={a.id} area={a} />
            ))}
          </ul>
          {data.can.manage && data.unit.level === 'commune' && <NewAreaForm unitId={data.unit.id} />}
        </section>
      )}
      {subUnits.length > 0 && (
        <section aria-labelledby="org-subunits">
          <h2 id="org-subunits">{t('org.subUnits')}</h2>
          <ul className="dir-list dir-list--compact">
            {subUnits.map((u) => (
              <li key={u.id}>
                <Link className="dir-row" to={`/staff/units/${u.id}`}>
                  <span className="dir-row__text">{u.name}</span>
                  <ChevronRight className="icon" aria-hidden="true" />
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {officers.data && officers.data.length > 0 && (
        <section aria-labelledby="org-officers">
          <h2 id="org-officers">{t('org.officers')}</h2>
          <ul className="dir-list">
            {officers.data.map((o) => (
              <li key={o.id} className="dir-row">
                <span className="dir-row__text">
                  <strong>{officerName(o)}</strong>
                  <span className="dir-row__meta">
                    {t(`org.role.${o.role}`)}
                    {o.areas.length > 0 && ` · ${o.areas.map((a) => a.name).join(', ')}`}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  )
}
