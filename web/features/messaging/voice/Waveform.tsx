import { useTranslation } from 'react-i18next'
import { bars } from './voice-format'

/** Bars of a recording's loudness; the part already played is drawn darker. */
export function Waveform({
  levels,
  count = 32,
  played = 0,
}: {
  levels: number[]
  count?: number
  played?: number
}) {
  const { t } = useTranslation()
  const shown = bars(levels, count)
  return (
    <div className="voice-wave" role="img" aria-label={t('messaging.voice.waveform')}>
      {shown.map((level, i) => (
        <span
          // biome-ignore lint/suspicious/noArrayIndexKey: bars are positions, not records
          key={i}
          className={`voice-wave__bar${i / count < played ? ' voice-wave__bar--played' : ''}`}
          style={{ height: `${Math.round(12 + level * 88)}%` }}
        />
      ))}
    </div>
  )
}
