import { useEffect, useState } from 'react'
import { levelsOf } from './voice-format'

/** Bars drawn for a received voice message (the recorder draws 32 from its own levels). */
const BARS = 32

type AudioContextClass = typeof AudioContext

/**
 * The waveform of a voice message someone else recorded: the sender's levels stay on their device,
 * so the file is decoded here (Web Audio) once the player shows. Without Web Audio, or when the file
 * cannot be decoded, there is no waveform and the player keeps its progress bar.
 */
export function useDecodedLevels(src: string, enabled: boolean): number[] | undefined {
  const [levels, setLevels] = useState<number[] | undefined>(undefined)
  useEffect(() => {
    const Ctx: AudioContextClass | undefined =
      globalThis.AudioContext ?? (globalThis as { webkitAudioContext?: AudioContextClass }).webkitAudioContext
    if (!enabled || !Ctx) return
    const abort = new AbortController()
    void (async () => {
      try {
        const res = await fetch(src, { credentials: 'same-origin', signal: abort.signal })
        if (!res.ok) return
        const bytes = await res.arrayBuffer()
        const ctx = new Ctx()
        try {
          const audio = await ctx.decodeAudioData(bytes)
          if (!abort.signal.aborted) setLevels(levelsOf(audio.getChannelData(0), BARS))
        } finally {
          void ctx.close()
        }
      } catch {
        // Not decodable here (or gone): the progress bar stays.
      }
    })()
    return () => abort.abort()
  }, [src, enabled])
  return levels
}
