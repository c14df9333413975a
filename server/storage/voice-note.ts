import { VOICE_MAX_SECONDS } from '@common/schemas/messaging'
import { sniffContent } from './content-sniffer'
import { readOggOpus } from './ogg-opus'
import { AudioFormatError } from './opus'
import { readWebmOpus } from './webm-audio'

/** A voice message may last two minutes; the recorder stops itself there. */
export const VOICE_MAX_MS = VOICE_MAX_SECONDS * 1000
/** A recorder stopped at 2:00 hands over its last packet a little later: that much is not "too long". */
const VOICE_GRACE_MS = 1_000
/** Shorter than this is a slip of the finger, not a message. */
export const VOICE_MIN_MS = 500
/**
 * Two minutes of Opus at the 32 kb/s the web recorder asks for is about 0.5 MB; phones' own
 * recorders use up to 128 kb/s (about 2 MB). Anything larger is not a voice message.
 */
export const VOICE_MAX_BYTES = 3 * 1024 * 1024

export type VoiceProblem = 'unreadable' | 'not_opus' | 'too_long' | 'too_short' | 'too_large'

export class VoiceNoteError extends Error {
  override name = 'VoiceNoteError'
  constructor(
    readonly problem: VoiceProblem,
    readonly durationMs?: number,
  ) {
    super(`voice note: ${problem}`)
  }
}

export interface VoiceNote {
  mime: 'audio/webm' | 'audio/ogg'
  extension: 'webm' | 'ogg'
  durationMs: number
  /** The recording with its metadata removed: what is stored and played. */
  data: Buffer
}

/** Whether these first bytes look like a container a voice message may come in. */
export function looksLikeAudio(head: Buffer): boolean {
  const kind = sniffContent(head)
  return kind === 'webm' || kind === 'ogg'
}

/**
 * Checks a voice message by its content (WebM or Ogg holding one Opus track, judged by magic bytes
 * and the container's structure, never by name or declared type), measures it, and strips it.
 */
export function readVoiceNote(data: Buffer): VoiceNote {
  if (data.length > VOICE_MAX_BYTES) throw new VoiceNoteError('too_large')
  const kind = sniffContent(data.subarray(0, 64))
  if (kind !== 'webm' && kind !== 'ogg') throw new VoiceNoteError('not_opus')
  let parsed: ReturnType<typeof readWebmOpus>
  try {
    parsed = kind === 'webm' ? readWebmOpus(data) : readOggOpus(data)
  } catch (err) {
    if (err instanceof AudioFormatError) throw new VoiceNoteError(err.problem)
    throw err
  }
  if (parsed.durationMs > VOICE_MAX_MS + VOICE_GRACE_MS)
    throw new VoiceNoteError('too_long', parsed.durationMs)
  if (parsed.durationMs < VOICE_MIN_MS) throw new VoiceNoteError('too_short', parsed.durationMs)
  return kind === 'webm'
    ? { mime: 'audio/webm', extension: 'webm', durationMs: parsed.durationMs, data: parsed.clean }
    : { mime: 'audio/ogg', extension: 'ogg', durationMs: parsed.durationMs, data: parsed.clean }
}
