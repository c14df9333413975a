/** "1:05" for 65 000 ms: how phones show the length of a voice message. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`
}

/** `n` bars from a list of levels: the loudest of each stretch (padded with silence when short). */
export function bars(levels: number[], n: number): number[] {
  if (levels.length <= n) return [...levels, ...Array<number>(n - levels.length).fill(0)]
  return Array.from({ length: n }, (_, i) => {
    const from = Math.floor((i * levels.length) / n)
    const to = Math.max(from + 1, Math.floor(((i + 1) * levels.length) / n))
    return Math.max(...levels.slice(from, to))
  })
}

/**
 * Loudness levels (0–1) of decoded audio, `n` of them: the peak of each stretch, scaled so the
 * loudest stretch is 1 (a quiet voice still draws a readable waveform). Silence stays at 0.
 */
export function levelsOf(samples: Float32Array, n: number): number[] {
  if (samples.length === 0) return []
  const size = Math.max(1, Math.floor(samples.length / n))
  const peaks: number[] = []
  for (let from = 0; from < samples.length && peaks.length < n; from += size) {
    let peak = 0
    const to = Math.min(samples.length, from + size)
    for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]!))
    peaks.push(peak)
  }
  const loudest = Math.max(...peaks)
  return loudest > 0 ? peaks.map((p) => p / loudest) : peaks
}
