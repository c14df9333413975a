import { Pause, Play } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useDecodedLevels } from './use-decoded-levels'
import { formatClock } from './voice-format'
import { Waveform } from './Waveform'

const RATES = [1, 1.5, 2] as const

/**
 * A voice message played in the thread: a large play button, how far it has played, its length,
 * and the speed (1×, 1.5×, 2×), which many officers use to get through messages faster.
 */
export function VoicePlayer({
  src,
  durationMs,
  levels,
}: {
  src: string
  durationMs?: number
  levels?: number[]
}) {
  const { t, i18n } = useTranslation()
  const audio = useRef<HTMLAudioElement>(null)
  const [playing, setPlaying] = useState(false)
  const [position, setPosition] = useState(0)
  const [mediaMs, setMediaMs] = useState<number | undefined>(undefined)
  const [rate, setRate] = useState<(typeof RATES)[number]>(1)
  const [failed, setFailed] = useState(false)
  const totalMs = durationMs ?? mediaMs ?? 0
  // The recorder passes its own levels; a received message's are read from the file.
  const decoded = useDecodedLevels(src, !levels?.length)
  const shown = levels?.length ? levels : decoded

  useEffect(() => {
    if (audio.current) audio.current.playbackRate = rate
  }, [rate])

  const toggle = async () => {
    const el = audio.current
    if (!el) return
    if (!el.paused) return el.pause()
    el.playbackRate = rate
    try {
      await el.play()
    } catch {
      setFailed(true)
    }
  }
  const nextRate = () => setRate(RATES[(RATES.indexOf(rate) + 1) % RATES.length]!)
  const rateLabel = `${new Intl.NumberFormat(i18n.language).format(rate)}×`
  const played = totalMs ? Math.min(1, position / totalMs) : 0

  return (
    <div className="voice-player" data-testid="voice-player">
      {/* biome-ignore lint/a11y/useMediaCaption: a resident's spoken message; its text is not known */}
      <audio
        ref={audio}
        src={src}
        preload="metadata"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false)
          setPosition(0)
        }}
        onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime * 1000)}
        onLoadedMetadata={(e) => {
          const d = e.currentTarget.duration
          if (Number.isFinite(d)) setMediaMs(d * 1000)
        }}
        onError={() => setFailed(true)}
      />
      <button
        type="button"
        className="btn voice-player__play"
        onClick={() => void toggle()}
        aria-label={playing ? t('messaging.voice.pause') : t('messaging.voice.play')}
      >
        {playing ? (
          <Pause className="icon" aria-hidden="true" />
        ) : (
          <Play className="icon" aria-hidden="true" />
        )}
      </button>
      <div className="voice-player__body">
        {shown?.length ? (
          <Waveform levels={shown} played={played} />
        ) : (
          <div
            className="voice-player__track"
            role="progressbar"
            aria-label={t('messaging.voice.progress', {
              current: formatClock(position),
              total: formatClock(totalMs),
            })}
            aria-valuemin={0}
            aria-valuemax={Math.round(totalMs / 1000)}
            aria-valuenow={Math.round(position / 1000)}
          >
            <span className="voice-player__fill" style={{ width: `${played * 100}%` }} />
          </div>
        )}
        <span className="voice-player__time" data-testid="voice-time">
          {playing || position > 0
            ? `${formatClock(position)} / ${formatClock(totalMs)}`
            : formatClock(totalMs)}
        </span>
      </div>
      <button
        type="button"
        className="btn btn--secondary voice-player__rate"
        onClick={nextRate}
        aria-label={t('messaging.voice.speed', { rate: rateLabel })}
      >
        {rateLabel}
      </button>
      {failed && (
        <p className="voice-player__error" role="alert">
          {t('messaging.voice.playFailed')}
        </p>
      )}
    </div>
  )
}
