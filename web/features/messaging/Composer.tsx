import type { TMessageView, TSendMessageRequest } from '@common/schemas/messaging'
import { Camera, FileUp, Send, X } from 'lucide-react'
import { forwardRef, type ReactNode, useEffect, useId, useImperativeHandle, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../api/client'
import { messagingApi } from './messaging-api'
import { VoiceRecorder } from './voice/VoiceRecorder'

export interface ComposerProps {
  /** Queues the message (the outbox sends it with its client key). */
  onSend: (request: Omit<TSendMessageRequest, 'clientKey'>) => void
  /** The conversation id uploads go to; created on demand for a resident's first photo. */
  ensureConversation: () => Promise<string>
  replyTo: TMessageView | null
  onCancelReply: () => void
  allowInternal?: boolean
  value?: string
  onChange?: (value: string) => void
  placeholder?: string
  /** Tools shown above the text box (the officer's canned-reply picker). */
  tools?: ReactNode
  /** Queues a voice message (recorded here, or a chosen file); without it, no voice control. */
  onSendVoice?: (
    recording: Blob,
    durationMs: number | undefined,
    request: Omit<TSendMessageRequest, 'clientKey' | 'attachmentIds'>,
  ) => void
}

/** The text box with send, camera and PDF buttons; large targets for a phone. */
export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(props, ref) {
  const { t } = useTranslation()
  const id = useId()
  const [own, setOwn] = useState('')
  const text = props.value ?? own
  const setText = props.onChange ?? setOwn
  const [internal, setInternal] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const box = useRef<HTMLTextAreaElement>(null)
  useImperativeHandle(ref, () => box.current as HTMLTextAreaElement)
  const replyId = props.replyTo?.id
  // Choosing "reply" (on a guidance card, far above) brings the text box into view, ready to type.
  useEffect(() => {
    if (replyId) box.current?.focus()
  }, [replyId])

  const submit = () => {
    if (!text.trim()) return
    props.onSend({
      body: text.trim(),
      ...(props.replyTo ? { replyToId: props.replyTo.id } : {}),
      ...(internal ? { internal: true } : {}),
    })
    setText('')
    props.onCancelReply()
  }

  const upload = async (file: File | undefined) => {
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      const conversationId = await props.ensureConversation()
      const up = await messagingApi.upload(conversationId, file)
      props.onSend({ body: text.trim(), attachmentIds: [up.fileId], ...(internal ? { internal: true } : {}) })
      setText('')
    } catch (err) {
      setError(
        t('messaging.uploadFailed', {
          reason: err instanceof ApiError ? (err.detail ?? err.title) : String(err),
        }),
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className={`composer${internal ? ' composer--internal' : ''}`}
      onSubmit={(e) => {
        e.preventDefault()
        submit()
      }}
    >
      {props.replyTo && (
        <p className="composer__reply">
          {t('messaging.replyingTo', { name: props.replyTo.author?.displayName ?? '' })}
          <button type="button" className="btn btn--small btn--secondary" onClick={props.onCancelReply}>
            <X className="icon" aria-hidden="true" /> {t('messaging.cancelReply')}
          </button>
        </p>
      )}
      {error && (
        <p className="composer__error" role="alert">
          {error}
        </p>
      )}
      {busy && <p aria-live="polite">{t('messaging.uploading')}</p>}
      {props.tools}
      <label htmlFor={`${id}-text`} className="visually-hidden">
        {t('messaging.composerLabel')}
      </label>
      <textarea
        ref={box}
        id={`${id}-text`}
        className="composer__text"
        rows={3}
        maxLength={4000}
        value={text}
        placeholder={props.placeholder ?? t('messaging.composerPlaceholder')}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault()
            submit()
          }
        }}
      />
      <div className="composer__bar">
        <label className="btn btn--secondary composer__icon-btn">
          <Camera className="icon" aria-hidden="true" />
          <span className="visually-hidden">{t('messaging.attachPhoto')}</span>
          <input
            type="file"
            accept="image/*"
            capture="environment"
            className="visually-hidden"
            disabled={busy}
            onChange={(e) => {
              void upload(e.target.files?.[0])
              e.target.value = ''
            }}
          />
        </label>
        <label className="btn btn--secondary composer__icon-btn">
          <FileUp className="icon" aria-hidden="true" />
          <span className="visually-hidden">{t('messaging.attachFile')}</span>
          <input
            type="file"
            accept="application/pdf"
            className="visually-hidden"
            disabled={busy}
            onChange={(e) => {
              void upload(e.target.files?.[0])
              e.target.value = ''
            }}
          />
        </label>
        {props.onSendVoice && (
          <VoiceRecorder
            disabled={busy}
            onSend={(recording, durationMs) => {
              props.onSendVoice?.(recording, durationMs, {
                ...(props.replyTo ? { replyToId: props.replyTo.id } : {}),
                ...(internal ? { internal: true } : {}),
              })
              props.onCancelReply()
            }}
          />
        )}
        {props.allowInternal && (
          <label className="composer__internal">
            <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
            {t('messaging.inbox.internal')}
          </label>
        )}
        <button type="submit" className="btn composer__send" disabled={!text.trim()}>
          <Send className="icon" aria-hidden="true" />
          {t('messaging.send')}
        </button>
      </div>
    </form>
  )
})
