import type { TRegisterPerson } from '@common/schemas/movements'
import { Download, Search, ShieldAlert } from 'lucide-react'
import { useDeferredValue, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDate, formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useExpiring, useHouseholds, usePerson, useRegisterAreas } from './movements-api'
import { SelectField } from './ReportForm.parts'
import '../auth/auth.css'
import './movements.css'

/** "Tạm trú đến 31/05/2027", "Tạm vắng đến …", "Thường trú". */
function PersonLine({ p }: { p: TRegisterPerson }) {
  const { t } = useTranslation()
  const until = p.status === 'away' ? p.awayUntil : p.status === 'left' ? p.endedOn : p.untilDate
  return (
    <span className="register-status" data-status={p.status}>
      {t(`movements.register.status.${p.status}`)}
      {until ? ` ${t('movements.register.until', { date: formatDate(until) })}` : ''}
    </span>
  )
}

function PersonHistory({ id }: { id: string }) {
  const { t } = useTranslation()
  const { data } = usePerson(id)
  if (!data) return <p role="status">{t('movements.loading')}</p>
  return (
    <ol className="register-history" aria-label={t('movements.register.history')}>
      {data.history.map((h) => (
        <li key={h.at}>
          {formatDateTime(h.at)} · {t(`movements.register.change.${h.change}`)}
          {h.fromDate ? ` ${formatDate(h.fromDate)}` : ''}
          {h.untilDate ? ` – ${formatDate(h.untilDate)}` : ''}
          {h.actorName ? ` · ${h.actorName}` : ''}
        </li>
      ))}
    </ol>
  )
}

/** /staff/register: the working register of the officer's areas; every look is on record. */
export function StaffRegisterPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('pages.staffRegister'))
  const [areaId, setAreaId] = useState('')
  const [q, setQ] = useState('')
  const query = useDeferredValue(q.trim())
  const [open, setOpen] = useState<string | null>(null)
  const areas = useRegisterAreas()
  const households = useHouseholds(areaId, query)
  const expiring = useExpiring(areaId)
  return (
    <>
      <h1>{t('pages.staffRegister')}</h1>
      <p className="register-notice" role="note">
        <ShieldAlert className="icon" aria-hidden="true" /> {t('movements.register.notice')}
      </p>
      <div className="report-toolbar">
        <SelectField
          name="areaId"
          label={t('movements.form.area')}
          value={areaId}
          onChange={setAreaId}
          options={(areas.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
        <label className="field">
          <span className="field__label">
            <Search className="icon" aria-hidden="true" /> {t('movements.register.search')}
          </span>
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('movements.register.searchHint')}
          />
        </label>
      </div>
      <p>
        <a
          className="btn btn--secondary"
          href={`/api/register/export.csv${areaId ? `?areaId=${areaId}` : ''}`}
          download
        >
          <Download className="icon" aria-hidden="true" /> {t('movements.exportCsv')}
        </a>
      </p>
      <section aria-labelledby="expiring-title">
        <h2 id="expiring-title">{t('movements.register.expiring')}</h2>
        {expiring.data?.length === 0 && <p>{t('movements.register.noneExpiring')}</p>}
        <ul className="report-list">
          {expiring.data?.map((p) => (
            <li key={p.id} className="report-card">
              <strong>{p.fullName || t('movements.register.anonymised')}</strong> · <PersonLine p={p} />
              <p className="field__hint">
                {p.address} · {p.area.name}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="households-title">
        <h2 id="households-title">{t('movements.register.households')}</h2>
        {households.data?.items.length === 0 && <p>{t('movements.register.empty')}</p>}
        <ul className="report-list">
          {households.data?.items.map((h) => (
            <li key={h.id} className="report-card register-household">
              <h3 className="report-card__name">{h.address}</h3>
              <p className="field__hint">{h.area.name}</p>
              <ul className="register-people">
                {h.people.map((p) => (
                  <li key={p.id}>
                    <button
                      type="button"
                      className="link-button"
                      aria-expanded={open === p.id}
                      onClick={() => setOpen(open === p.id ? null : p.id)}
                    >
                      {p.fullName || t('movements.register.anonymised')}
                    </button>{' '}
                    · {p.idNumber} · <PersonLine p={p} />
                    {open === p.id && <PersonHistory id={p.id} />}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
