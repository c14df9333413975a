import { Mic, Send, Square, Trash2, X } from 'lucide-react'
import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { recordingMime, useVoiceRecorder, VOICE_MAX_MS } from './use-voice-recorder'
import { VoicePlayer } from './VoicePlayer'
import { formatClock } from './voice-format'
import { Waveform } from './Waveform'
import './voice.css'

/** A press held at least this long is "hold to talk": releasing it stops the recording. */
const HOLD_MS = 400

export interface VoiceRecorderProps {
  /** Hands the recording to the outbox (its length as measured here, when known). */
  onSend: (recording: Blob, durationMs: number | undefined) => void
  disabled?: boolean
}

/** Accepted from the file picker where the browser cannot record: what the server accepts. */
const AUDIO_FILES = 'audio/webm,audio/ogg,audio/opus,.webm,.ogg,.opus,.oga'

function FilePicker({ onPick, disabled }: { onPick: (file: File) => void; disabled?: boolean }) {
  const { t } = useTranslation()
  return (
    <label className="btn btn--secondary voice-record">
      <Mic className="icon" aria-hidden="true" />
      {t('messaging.voice.chooseFile')}
      <input
        type="file"
        accept={AUDIO_FILES}
        className="visually-hidden"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0]
          if (file) onPick(file)
          e.target.value = ''
        }}
      />
    </label>
  )
}

/**
 * The composer's voice control. Hold the microphone button to talk and release to listen back, or
 * tap it to start and tap again to stop; the length and a waveform show while recording and before
 * sending; cancel or delete at any point. Where the browser cannot record, a file picker instead.
 */
export function VoiceRecorder({ onSend, disabled }: VoiceRecorderProps) {
  const { t } = useTranslation()
  const canRecord = useMemo(() => recordingMime() !== null, [])
  const { state, start, stop, cancel, reset } = useVoiceRecorder()
  const pressedAt = useRef<number | null>(null)
  /** The click that ends the press which started a recording must not stop it. */
  const swallowClick = useRef(false)
  const previewUrl = useMemo(
    () => (state.phase === 'recorded' ? URL.createObjectURL(state.blob) : null),
    [state],
  )
  useEffect(() => () => (previewUrl ? URL.revokeObjectURL(previewUrl) : undefined), [previewUrl])

  if (!canRecord) return <FilePicker disabled={disabled} onPick={(file) => onSend(file, undefined)} />

  const active = state.phase === 'starting' || state.phase === 'recording'

  const onPointerDown = (e: React.PointerEvent<HTMLButtonElement>) => {
    if (state.phase !== 'idle' && state.phase !== 'error') return
    // Keep the release on this button even if the finger slides off it.
    e.currentTarget.setPointerCapture?.(e.pointerId)
    pressedAt.current = performance.now()
    swallowClick.current = true
    void start()
  }
  const onPointerUp = () => {
    const at = pressedAt.current
    pressedAt.current = null
    if (at !== null && performance.now() - at >= HOLD_MS) stop()
  }
  const onClick = () => {
    if (swallowClick.current) {
      swallowClick.current = false
      return
    }
    if (active) stop()
    else if (state.phase === 'idle' || state.phase === 'error') void start() // keyboard: Enter or Space
  }

  const elapsed = state.phase === 'recording' ? state.elapsedMs : 0
  return (
    <>
      {active && (
        <div className="voice-panel voice-panel--recording" data-testid="voice-recording">
          <p className="voice-panel__status" aria-live="polite">
            <span className="voice-panel__dot" aria-hidden="true" />
            {state.phase === 'starting' ? t('messaging.voice.starting') : t('messaging.voice.recording')}
            <span className="voice-panel__time" data-testid="voice-elapsed">
              {formatClock(elapsed)} / {formatClock(VOICE_MAX_MS)}
            </span>
          </p>
          <Waveform levels={state.phase === 'recording' ? state.levels.slice(-32) : []} />
          <button type="button" className="btn btn--secondary" onClick={cancel}>
            <X className="icon" aria-hidden="true" /> {t('messaging.voice.cancel')}
          </button>
        </div>
      )}
      {state.phase === 'recorded' && previewUrl && (
        <section
          className="voice-panel"
          aria-label={t('messaging.voice.preview')}
          data-testid="voice-preview"
        >
          <p className="voice-panel__status">
            {state.autoStopped
              ? t('messaging.voice.autoStopped')
              : t('messaging.voice.length', {
                  length: formatClock(state.durationMs),
                  max: formatClock(VOICE_MAX_MS),
                })}
          </p>
          <VoicePlayer src={previewUrl} durationMs={state.durationMs} levels={state.levels} />
          <div className="voice-panel__actions">
            <button type="button" className="btn btn--secondary" onClick={reset}>
              <Trash2 className="icon" aria-hidden="true" /> {t('messaging.voice.discard')}
            </button>
            <button
              type="button"
              className="btn"
              disabled={disabled}
              onClick={() => {
                onSend(state.blob, state.durationMs)
                reset()
              }}
            >
              <Send className="icon" aria-hidden="true" /> {t('messaging.voice.send')}
            </button>
          </div>
        </section>
      )}
      {state.phase === 'error' && (
        <div className="voice-panel" role="alert">
          <p className="voice-panel__status">
            {state.reason === 'too_short' ? t('messaging.voice.tooShort') : t('messaging.voice.micDenied')}
          </p>
          {state.reason !== 'too_short' && (
            <FilePicker disabled={disabled} onPick={(f) => onSend(f, undefined)} />
          )}
        </div>
      )}
      {state.phase !== 'recorded' && (
        <button
          type="button"
          className={`btn btn--secondary voice-record${active ? ' voice-record--active' : ''}`}
          aria-pressed={active}
          title={t('messaging.voice.recordHint')}
          disabled={disabled}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          onClick={onClick}
          onContextMenu={(e) => e.preventDefault()}
        >
          {active ? (
            <Square className="icon" aria-hidden="true" />
          ) : (
            <Mic className="icon" aria-hidden="true" />
          )}
          {active ? t('messaging.voice.stop') : t('messaging.voice.record')}
        </button>
      )}
    </>
  )
}
