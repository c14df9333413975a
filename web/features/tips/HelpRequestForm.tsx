import type { TCaseView } from '@common/schemas/cases'
import { Megaphone } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { TextField } from './TipForm.parts'
import { useMyGroups, usePublishHelp } from './tips-api'

const iso = (local: string) => (local ? `${local}:00+07:00` : undefined)

/** From a case: ask chosen groups to check their cameras for a time window. */
export function HelpRequestForm({ c }: { c: TCaseView }) {
  const { t } = useTranslation()
  const groups = useMyGroups()
  const publish = usePublishHelp(c.id)
  const [description, setDescription] = useState('')
  const [lookFor, setLookFor] = useState('')
  const [place, setPlace] = useState(c.addressText ?? '')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const photo = c.evidence.find((e) => e.kind === 'photo' && !e.redactsId)
  const [withPhoto, setWithPhoto] = useState(true)
  const err = publish.error instanceof ApiError ? publish.error : undefined
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    publish.mutate(
      {
        description,
        lookFor,
        placeText: place,
        ...(iso(from) ? { windowStart: iso(from) } : {}),
        ...(iso(to) ? { windowEnd: iso(to) } : {}),
        ...(photo && withPhoto ? { photoFileId: photo.id } : {}),
        ...(c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : {}),
        groupIds: chosen,
      },
      { onSuccess: () => setDescription('') },
    )
  }
  const postable = (groups.data ?? []).filter((g) => g.can.includes('post'))
  return (
    <form className="form-card" onSubmit={onSubmit} aria-labelledby="help-form-heading">
      <h3 id="help-form-heading">{t('help.publishHeading')}</h3>
      <TextField
        name="description"
        label={t('help.description')}
        value={description}
        onChange={setDescription}
        multiline
        error={err?.fieldMessage('description')}
      />
      <TextField name="lookFor" label={t('help.lookFor')} value={lookFor} onChange={setLookFor} />
      <TextField name="placeText" label={t('help.place')} value={place} onChange={setPlace} />
      <TextField
        name="windowStart"
        type="datetime-local"
        label={t('help.from')}
        value={from}
        onChange={setFrom}
      />
      <TextField
        name="windowEnd"
        type="datetime-local"
        label={t('help.to')}
        value={to}
        onChange={setTo}
        error={err?.fieldMessage('windowEnd')}
      />
      {photo && (
        <label className="tip-anonymous__toggle">
          <input type="checkbox" checked={withPhoto} onChange={(e) => setWithPhoto(e.target.checked)} />{' '}
          {t('help.withPhoto')}
        </label>
      )}
      <fieldset>
        <legend>{t('help.groups')}</legend>
        {postable.map((g) => (
          <label key={g.id} className="tip-category">
            <input
              type="checkbox"
              checked={chosen.includes(g.id)}
              onChange={(e) =>
                setChosen(e.target.checked ? [...chosen, g.id] : chosen.filter((x) => x !== g.id))
              }
            />
            <span>{g.name}</span>
          </label>
        ))}
        {err?.fieldMessage('groupIds') && (
          <span className="field__error">{err.fieldMessage('groupIds')}</span>
        )}
      </fieldset>
      <button type="submit" className="btn" disabled={publish.isPending}>
        <Megaphone className="icon" aria-hidden="true" />
        {t('help.publish')}
      </button>
      {publish.isSuccess && <p role="status">{t('help.published')}</p>}
    </form>
  )
}
