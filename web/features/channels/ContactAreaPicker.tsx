import type { TContactAreaOptions, TSetContactAreaResult } from '@common/schemas/channel-console'
import type { TConversationView } from '@common/schemas/messaging'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { MapPin } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { ApiError, apiFetch } from '../../api/client'
import { messagingKeys } from '../messaging/messaging-api'

/**
 * A Zalo / Messenger contact who has not said where they live sits in the unit's queue: the officer
 * chooses their residential group, and the conversation goes to that area's officer. Nothing shows
 * for other conversations.
 */
export function ContactAreaPicker({ conversation: c }: { conversation: TConversationView }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const navigate = useNavigate()
  const selectId = useId()
  const [areaId, setAreaId] = useState('')
  const fromChannel = c.kind === 'direct' && (c.channel === 'zalo' || c.channel === 'messenger')
  const options = useQuery({
    queryKey: ['contact-area', c.id],
    queryFn: () => apiFetch<TContactAreaOptions>(`/api/conversations/${c.id}/contact-area`),
    enabled: fromChannel && c.can.includes('work'),
  })
  const choose = useMutation({
    mutationFn: () =>
      apiFetch<TSetContactAreaResult>(`/api/conversations/${c.id}/contact-area`, {
        method: 'PUT',
        body: { areaId },
      }),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: messagingKeys.all })
      await qc.invalidateQueries({ queryKey: ['contact-area', c.id] })
      if (r.conversationId !== c.id) navigate(`/staff/inbox/${r.conversationId}`)
    },
  })
  if (!options.data?.needsArea) return null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (areaId) choose.mutate()
  }
  const error = choose.error instanceof ApiError ? choose.error : null
  return (
    <form className="card-form contact-area" onSubmit={submit}>
      <p>{t('channels.contactArea.lead')}</p>
      <label htmlFor={selectId}>{t('channels.contactArea.label')}</label>
      <select id={selectId} value={areaId} onChange={(e) => setAreaId(e.target.value)} required>
        <option value="" />
        {options.data.areas.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
      <button type="submit" className="btn btn--small" disabled={!areaId || choose.isPending}>
        <MapPin className="icon" aria-hidden="true" /> {t('channels.contactArea.submit')}
      </button>
      {error && <p role="alert">{error.fieldMessage('areaId') ?? error.detail ?? error.title}</p>}
    </form>
  )
}
