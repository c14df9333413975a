import type { TEvidenceView, TTipView } from '@common/schemas/tips'
import { Film, Paperclip } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatDateTime } from '../../lib/format'
import { TextField } from './TipForm.parts'

export function StatusBadge({
  kind,
  status,
  overdue,
}: {
  kind: 'tip' | 'case'
  status: string
  overdue?: boolean
}) {
  const { t } = useTranslation()
  const tone = overdue
    ? 'overdue'
    : ['resolved', 'closed'].includes(status)
      ? 'resolved'
      : status === 'new'
        ? 'open'
        : 'waiting'
  return (
    <span className="status-badge" data-status={tone}>
      {overdue ? `${t('tips.overdue')} · ` : ''}
      {kind === 'tip' ? t(`tips.status.${status as 'new'}`) : t(`cases.status.${status as 'new'}`)}
    </span>
  )
}

/** Photos as thumbnails (tap for the full file), clips as players; a code holder sees only how many. */
export function EvidenceList({ files }: { files: TEvidenceView[] }) {
  const { t } = useTranslation()
  if (!files.length) return null
  if (!files[0]?.url)
    return <p className="field__hint">{t('tips.thread.filesCount', { count: files.length })}</p>
  return (
    <ul className="evidence-list">
      {files.map((f) => (
        <li key={f.id}>
          {f.bytesRemoved ? (
            <span className="field__hint">
              {t('tips.quarantine.fileRemoved')} · SHA-256 {f.sha256.slice(0, 12)}…
            </span>
          ) : f.kind === 'photo' ? (
            <a href={f.url} target="_blank" rel="noreferrer">
              <img src={f.thumbUrl ?? f.url} alt={t('tips.thread.photo')} width={160} loading="lazy" />
            </a>
          ) : (
            <a href={f.url} target="_blank" rel="noreferrer" className="evidence-list__video">
              <Film className="icon" aria-hidden="true" />
              {t('tips.thread.video', { size: Math.ceil(f.size / 1024) })}
            </a>
          )}
        </li>
      ))}
    </ul>
  )
}

/** The tip and its conversation with the police, oldest first. */
export function TipThread({ tip }: { tip: TTipView }) {
  const { t } = useTranslation()
  return (
    <article className="tip-thread">
      <p>
        <StatusBadge kind="tip" status={tip.status} overdue={tip.overdue} /> <strong>{tip.reference}</strong>{' '}
        · {t(`tips.category.${tip.category}`)} · {tip.area.name}
      </p>
      <p className="tip-thread__description">{tip.description}</p>
      <p className="field__hint">{formatDateTime(tip.createdAt)}</p>
      <EvidenceList files={tip.files} />
      <h2>{t('tips.thread.heading')}</h2>
      {tip.messages.length === 0 && <p className="field__hint">{t('tips.thread.empty')}</p>}
      <ol className="tip-messages">
        {tip.messages.map((m) => (
          <li key={m.id} className={`tip-message tip-message--${m.from}`}>
            <p className="tip-message__who">
              {m.from === 'staff' ? (m.staffName ?? t('tips.thread.police')) : t('tips.thread.you')}
            </p>
            <p>{m.body}</p>
            <EvidenceList files={m.files} />
            <p className="field__hint">{formatDateTime(m.createdAt)}</p>
          </li>
        ))}
      </ol>
    </article>
  )
}

/** Text (and, for the tipster, photos or clips) added to the thread; one client key per message. */
export function AddToThread({
  label,
  withFiles,
  onSend,
  pending,
  error,
}: {
  label: string
  withFiles: boolean
  onSend: (form: FormData) => Promise<unknown>
  pending: boolean
  error?: string | undefined
}) {
  const { t } = useTranslation()
  const [body, setBody] = useState('')
  const [files, setFiles] = useState<File[]>([])
  const [key, setKey] = useState(() => crypto.randomUUID())
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const form = new FormData()
    form.append('clientKey', key)
    if (body.trim()) form.append('body', body)
    for (const f of files) form.append('files', f)
    await onSend(form)
    setBody('')
    setFiles([])
    setKey(crypto.randomUUID())
  }
  return (
    <form className="form-card tip-add" onSubmit={(e) => void submit(e).catch(() => undefined)}>
      <TextField name="body" label={label} value={body} onChange={setBody} multiline error={error} />
      {withFiles && (
        <label className="field">
          <span>
            <Paperclip className="icon" aria-hidden="true" /> {t('tips.form.files')}
          </span>
          <input
            type="file"
            accept="image/*,video/*"
            multiple
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
        </label>
      )}
      <button type="submit" className="btn" disabled={pending}>
        {t('tips.thread.send')}
      </button>
    </form>
  )
}
