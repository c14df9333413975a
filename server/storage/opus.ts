/** Shared by the WebM and Ogg readers of voice recordings (Opus audio, RFC 6716 and RFC 7845). */

/** Why a file is not a voice recording the platform can keep. */
export class AudioFormatError extends Error {
  override name = 'AudioFormatError'
  constructor(
    readonly problem: 'unreadable' | 'not_opus',
    detail: string,
  ) {
    super(detail)
  }
}

/** What a reader found, and the same recording rewritten with nothing but the sound. */
export interface ParsedAudio {
  durationMs: number
  /** The recording without tags, titles, dates, application names or any other metadata. */
  clean: Buffer
}

const CELT_MS = [2.5, 5, 10, 20]
const SILK_MS = [10, 20, 40, 60]
const HYBRID_MS = [10, 20]

/**
 * How long one Opus packet plays, from its table-of-contents byte (RFC 6716 §3.1): the
 * configuration gives the frame length, the last two bits how many frames the packet holds.
 */
export function opusPacketMs(packet: Buffer): number {
  if (packet.length === 0) return 0
  const toc = packet[0]!
  const config = toc >> 3
  const frameMs =
    config < 12 ? SILK_MS[config % 4]! : config < 16 ? HYBRID_MS[config % 2]! : CELT_MS[config % 4]!
  const code = toc & 3
  const frames = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2
  return frameMs * frames
}
