import {
  alertKindValues,
  type TAlertScopeKind,
  type TAlertView,
  type TCreateAlertRequest,
} from '@common/schemas/alerts'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Megaphone, Save } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { useDocumentTitle } from '../../lib/use-document-title'
import { alertKeys, previewRecipients, uploadAlertPhoto, useComposeOptions } from './alerts-api'

const scopeKinds: TAlertScopeKind[] = ['areas', 'unit', 'unit_neighbours', 'province']

/** /staff/alerts/new: write an alert, see who it will reach, then publish or send for approval. */
export function ComposeAlertPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('alerts.compose.title'))
  const navigate = useNavigate()
  const qc = useQueryClient()
  const { data: options } = useComposeOptions()
  const unit = options?.units[0]
  const [kind, setKind] = useState<TCreateAlertRequest['kind']>('found_person')
  const [headline, setHeadline] = useState('')
  const [description, setDescription] = useState('')
  const [instruction, setInstruction] = useState('')
  const [contact, setContact] = useState('')
  const [scopeKind, setScopeKind] = useState<TAlertScopeKind>('unit')
  const [areaIds, setAreaIds] = useState<string[]>([])
  const [photo, setPhoto] = useState<File | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)

  const scope = { kind: scopeKind, ...(scopeKind === 'areas' ? { unitIds: areaIds } : {}) }
  const preview = useQuery({
    queryKey: ['alerts', 'preview', unit?.id, scopeKind, areaIds.join(',')],
    queryFn: () => previewRecipients({ issuingUnitId: unit?.id, scope }),
    enabled: !!unit && (scopeKind !== 'areas' || areaIds.length > 0),
    retry: false,
  })

  const save = async (publish: boolean) => {
    setBusy(true)
    setError(null)
    try {
      const body: TCreateAlertRequest = {
        kind,
        headline,
        description,
        instruction,
        contact,
        issuingUnitId: unit?.id,
        scope,
      }
      const draft = await apiFetch<TAlertView>('/api/alerts', { method: 'POST', body })
      if (photo) await uploadAlertPhoto(draft.id, photo)
      if (publish) await apiFetch(`/api/alerts/${draft.id}/submit`, { method: 'POST', body: {} })
      await qc.invalidateQueries({ queryKey: alertKeys.all })
      navigate(`/staff/alerts/${draft.id}`)
    } catch (err) {
      setError(err instanceof ApiError ? err : null)
    } finally {
      setBusy(false)
    }
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    void save(true)
  }
  const fieldError = (f: string) => error?.fieldMessage(f)

  return (
    <form className="alert-compose" onSubmit={onSubmit} noValidate>
      <h1>{t('alerts.compose.title')}</h1>
      {unit && <p>{t('alerts.compose.issuedBy', { unit: unit.name })}</p>}
      <label htmlFor="alert-kind">{t('alerts.compose.kind')}</label>
      <select id="alert-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
        {alertKindValues.map((k) => (
          <option key={k} value={k}>
            {t(`alerts.kind.${k}`)}
          </option>
        ))}
      </select>
      <label htmlFor="alert-headline">{t('alerts.compose.headline')}</label>
      <input
        id="alert-headline"
        value={headline}
        onChange={(e) => setHeadline(e.target.value)}
        maxLength={160}
        required
      />
      {fieldError('headline') && <p role="alert">{fieldError('headline')}</p>}
      <label htmlFor="alert-description">{t('alerts.compose.description')}</label>
      <textarea
        id="alert-description"
        rows={5}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <label htmlFor="alert-instruction">{t('alerts.compose.instruction')}</label>
      <textarea
        id="alert-instruction"
        rows={3}
        value={instruction}
        onChange={(e) => setInstruction(e.target.value)}
      />
      <label htmlFor="alert-contact">{t('alerts.compose.contact')}</label>
      <input id="alert-contact" value={contact} onChange={(e) => setContact(e.target.value)} />
      <label htmlFor="alert-photo">{t('alerts.compose.photo')}</label>
      <input
        id="alert-photo"
        type="file"
        accept="image/jpeg,image/png,image/webp,image/heic"
        onChange={(e) => setPhoto(e.target.files?.[0] ?? null)}
      />

      <fieldset>
        <legend>{t('alerts.compose.scope')}</legend>
        {scopeKinds.map((k) => (
          <label key={k} className="alert-compose__choice">
            <input
              type="radio"
              name="scope"
              value={k}
              checked={scopeKind === k}
              onChange={() => setScopeKind(k)}
            />
            {k === 'unit_neighbours' && unit?.neighbours.length
              ? t('alerts.scope.unit_neighbours_named', {
                  names: unit.neighbours.map((n) => n.name).join(', '),
                })
              : t(`alerts.scope.${k}`)}
          </label>
        ))}
        {scopeKind === 'areas' &&
          unit?.areas.map((a) => (
            <label key={a.id} className="alert-compose__choice alert-compose__choice--nested">
              <input
                type="checkbox"
                checked={areaIds.includes(a.id)}
                onChange={(e) =>
                  setAreaIds((ids) => (e.target.checked ? [...ids, a.id] : ids.filter((x) => x !== a.id)))
                }
              />
              {a.name}
            </label>
          ))}
        {(fieldError('scope.kind') ?? fieldError('scope.unitIds')) && (
          <p role="alert">{fieldError('scope.kind') ?? fieldError('scope.unitIds')}</p>
        )}
      </fieldset>

      <section className="alert-compose__preview" aria-live="polite">
        {preview.data && (
          <>
            <p data-testid="recipient-count">
              {t('alerts.compose.reach', {
                n: preview.data.residents,
                push: preview.data.withPush,
                groups: preview.data.groups,
              })}
            </p>
            {preview.data.needsApproval && <p>{t('alerts.compose.needsApproval')}</p>}
          </>
        )}
        {preview.error instanceof ApiError && (
          <p role="alert">{preview.error.fieldMessage('scope.kind') ?? preview.error.detail}</p>
        )}
      </section>
      {error && !error.errors?.length && <p role="alert">{error.detail ?? error.title}</p>}
      <div className="alert-compose__actions">
        <button type="submit" className="btn" disabled={busy}>
          <Megaphone className="icon" aria-hidden="true" />
          {preview.data?.needsApproval ? t('alerts.compose.submitForApproval') : t('alerts.compose.publish')}
        </button>
        <button type="button" className="btn btn--secondary" disabled={busy} onClick={() => void save(false)}>
          <Save className="icon" aria-hidden="true" />
          {t('alerts.compose.saveDraft')}
        </button>
      </div>
    </form>
  )
}
