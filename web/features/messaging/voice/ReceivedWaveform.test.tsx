import { render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { VoicePlayer } from './VoicePlayer'
import { levelsOf } from './voice-format'

/** Half a second of silence, then a loud second and a quiet one (8 kHz). */
const samples = new Float32Array(20_000)
samples.fill(0.8, 4_000, 12_000)
samples.fill(0.2, 12_000, 20_000)

describe('the waveform of a received voice message', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('is the peaks of the decoded audio, the loudest stretch at full height', () => {
    const levels = levelsOf(samples, 5)
    expect(levels).toEqual([0, 1, 1, 0.25, 0.25])
    expect(levelsOf(new Float32Array(10), 4).every((l) => l === 0)).toBe(true)
  })

  it('is drawn from the file when the player has no levels of its own', async () => {
    const fetched: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url)
      return new Response(new Uint8Array([1, 2, 3]), { status: 200 })
    })
    class FakeAudioContext {
      decodeAudioData = async () => ({ getChannelData: () => samples })
      close = async () => undefined
    }
    vi.stubGlobal('AudioContext', FakeAudioContext)
    render(<VoicePlayer src="/api/files/voice-1" durationMs={2_500} />)
    const wave = await screen.findByRole('img', { name: 'Dạng sóng của bản ghi âm' })
    expect(fetched).toEqual(['/api/files/voice-1'])
    const heights = [...wave.querySelectorAll('span')].map((b) => (b as HTMLElement).style.height)
    expect(heights).toHaveLength(32)
    // Silence first (the lowest bar), then the loud part at full height.
    expect(heights[0]).toBe('12%')
    expect(heights).toContain('100%')
  })

  it('keeps the progress bar where the audio cannot be decoded', async () => {
    vi.stubGlobal('fetch', async () => new Response(new Uint8Array([1]), { status: 200 }))
    class BrokenAudioContext {
      decodeAudioData = async () => {
        throw new Error('EncodingError')
      }
      close = async () => undefined
    }
    vi.stubGlobal('AudioContext', BrokenAudioContext)
    render(<VoicePlayer src="/api/files/voice-2" durationMs={2_500} />)
    expect(await screen.findByRole('progressbar')).toBeTruthy()
    await new Promise((r) => setTimeout(r, 20))
    expect(screen.queryByRole('img', { name: 'Dạng sóng của bản ghi âm' })).toBeNull()
  })
})
