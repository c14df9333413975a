import { Megaphone } from 'lucide-react'
import { useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { messagingApi } from './messaging-api'
import { newClientKey } from './send-queue'

const EMPTY = { title: '', body: '', link: '' }

/**
 * Posting a guidance card to a group (staff and the group's moderators): title, text, an optional
 * photo (the usual upload: checked by its bytes, metadata stripped) and an optional link. The card
 * appears in the thread through the group's live stream, like every other message.
 */
export function GuidanceForm({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation()
  const id = useId()
  const details = useRef<HTMLDetailsElement>(null)
  const [form, setForm] = useState(EMPTY)
  const [photo, setPhoto] = useState<File | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | string | null>(null)
  const [done, setDone] = useState(false)
  // One key per card, kept across retries: a resend after a lost answer never makes a second card.
  const clientKey = useRef<string | null>(null)
  // The photo is uploaded once; a retry of the post reuses it.
  const uploaded = useRef<{ file: File; fileId: string } | null>(null)

  const submit = async () => {
    setBusy(true)
    setError(null)
    setDone(false)
    try {
      clientKey.current ??= newClientKey()
      let attachmentIds: string[] = []
      if (photo) {
        if (uploaded.current?.file !== photo)
          uploaded.current = {
            file: photo,
            fileId: (await messagingApi.upload(conversationId, photo)).fileId,
          }
        attachmentIds = [uploaded.current.fileId]
      }
      await messagingApi.send(conversationId, {
        clientKey: clientKey.current,
        body: form.body,
        attachmentIds,
        guidance: { title: form.title, ...(form.link.trim() ? { link: form.link.trim() } : {}) },
      })
      clientKey.current = null
      uploaded.current = null
      setForm(EMPTY)
      setPhoto(null)
      setDone(true)
      if (details.current) details.current.open = false
    } catch (err) {
      setError(err instanceof ApiError ? err : String(err))
    } finally {
      setBusy(false)
    }
  }

  const field = (name: string) => (error instanceof ApiError ? error.fieldMessage(name) : undefined)
  const fieldError = (name: string) => {
    const message = field(name)
    return message ? (
      <p className="field__error" id={`${id}-${name}-error`} role="alert">
        {message}
      </p>
    ) : null
  }
  const general =
    typeof error === 'string'
      ? error
      : error && !error.errors?.length
        ? (error.detail ?? error.title)
        : error && ['attachmentIds', 'guidance'].some((f) => field(f))
          ? (field('attachmentIds') ?? field('guidance'))
          : null
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => {
    setForm({ ...form, [k]: e.target.value })
    setDone(false)
  }

  return (
    <>
      {done && (
        <p className="guidance-form__done" role="status">
          {t('messaging.guidance.posted')}
        </p>
      )}
      <details className="guidance-form" ref={details}>
        <summary className="btn btn--secondary">
          <Megaphone className="icon" aria-hidden="true" /> {t('messaging.guidance.post')}
        </summary>
        <form
          className="card-form"
          aria-label={t('messaging.guidance.post')}
          onSubmit={(e) => {
            e.preventDefault()
            void submit()
          }}
        >
          <p className="guidance-form__hint">{t('messaging.guidance.hint')}</p>
          <label>
            {t('messaging.guidance.title')}
            <input
              value={form.title}
              onChange={set('title')}
              required
              minLength={3}
              maxLength={200}
              aria-invalid={!!field('guidance.title')}
            />
          </label>
          {fieldError('guidance.title')}
          <label>
            {t('messaging.guidance.text')}
            <textarea
              value={form.body}
              onChange={set('body')}
              required
              rows={5}
              maxLength={4000}
              aria-invalid={!!field('body')}
            />
          </label>
          {fieldError('body')}
          <label>
            {t('messaging.guidance.photo')}
            <input
              type="file"
              accept="image/*"
              onChange={(e) => {
                setPhoto(e.target.files?.[0] ?? null)
                setDone(false)
              }}
            />
          </label>
          <label>
            {t('messaging.guidance.link')}
            <input
              type="url"
              inputMode="url"
              value={form.link}
              onChange={set('link')}
              maxLength={1000}
              placeholder="https://"
              aria-invalid={!!field('guidance.link')}
            />
          </label>
          {fieldError('guidance.link')}
          {general && <p role="alert">{general}</p>}
          {busy && <p aria-live="polite">{t('messaging.guidance.posting')}</p>}
          <button type="submit" className="btn" disabled={busy}>
            {t('messaging.guidance.submit')}
          </button>
        </form>
      </details>
    </>
  )
}
