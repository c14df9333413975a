import { describe, expect, it } from 'vitest'
import { oggVoice, VOICE_DEVICE, VOICE_GPS, webmVoice } from '../test/voice-fixture'
import { readVoiceNote, VoiceNoteError } from './voice-note'

const problemOf = (data: Buffer) => {
  try {
    readVoiceNote(data)
    return 'accepted'
  } catch (err) {
    if (err instanceof VoiceNoteError) return err.problem
    throw err
  }
}
const contains = (data: Buffer, text: string) => data.includes(Buffer.from(text, 'latin1'))

describe('voice messages: checked by content, measured, stripped', () => {
  it('measures a WebM recording with no duration from its blocks and keeps only the sound', () => {
    const original = webmVoice({ seconds: 7.5 })
    expect(contains(original, VOICE_GPS)).toBe(true)
    expect(contains(original, VOICE_DEVICE)).toBe(true)
    const note = readVoiceNote(original)
    expect(note).toMatchObject({ mime: 'audio/webm', extension: 'webm', durationMs: 7500 })
    expect(contains(note.data, VOICE_GPS)).toBe(false)
    expect(contains(note.data, VOICE_DEVICE)).toBe(false)
    // The rewritten file is itself a valid recording of the same length, now with a known size.
    expect(readVoiceNote(note.data).durationMs).toBe(7500)
    expect(note.data.length).toBeLessThan(original.length)
  })

  it('measures an Ogg Opus recording from its granule position and empties its comments', () => {
    const original = oggVoice({ seconds: 12 })
    expect(contains(original, VOICE_GPS)).toBe(true)
    const note = readVoiceNote(original)
    expect(note).toMatchObject({ mime: 'audio/ogg', extension: 'ogg', durationMs: 12_000 })
    expect(contains(note.data, VOICE_GPS)).toBe(false)
    expect(contains(note.data, VOICE_DEVICE)).toBe(false)
    expect(readVoiceNote(note.data).durationMs).toBe(12_000)
  })

  it('refuses a recording longer than two minutes, in either container', () => {
    expect(problemOf(webmVoice({ seconds: 125 }))).toBe('too_long')
    expect(problemOf(oggVoice({ seconds: 121.5 }))).toBe('too_long')
    expect(problemOf(webmVoice({ seconds: 120 }))).toBe('accepted')
    expect(problemOf(oggVoice({ seconds: 120 }))).toBe('accepted')
  })

  it('refuses what is not Opus audio, is damaged, too short or too large', () => {
    expect(problemOf(webmVoice({ seconds: 3, trackType: 1, codec: 'V_VP8' }))).toBe('not_opus')
    expect(problemOf(webmVoice({ seconds: 3, codec: 'A_VORBIS' }))).toBe('not_opus')
    expect(problemOf(Buffer.from('ID3\x03\0\0\0\0\0\0 an mp3', 'latin1'))).toBe('not_opus')
    expect(problemOf(webmVoice({ seconds: 0.2 }))).toBe('too_short')
    const ogg = oggVoice({ seconds: 3 })
    ogg[ogg.length - 10]! ^= 0xff
    expect(problemOf(ogg)).toBe('unreadable')
    // Cut inside its last block: an upload that stopped half-way.
    const webm = webmVoice({ seconds: 3 })
    expect(problemOf(webm.subarray(0, webm.length - 5))).toBe('unreadable')
    expect(problemOf(Buffer.concat([webmVoice({ seconds: 3 }), Buffer.alloc(3 * 1024 * 1024)]))).toBe(
      'too_large',
    )
  })
})
