import { element, floatElement, stringElement, uintElement } from '../storage/ebml'
import { oggPage } from '../storage/ogg-opus'

/**
 * Voice recordings built byte by byte, shaped like what recorders write: WebM like Chromium's
 * MediaRecorder (segment and clusters of unknown size, no duration) and Ogg Opus like phone
 * recorders. Each carries metadata the server must strip (a place, a device, a title, a date).
 */
export const VOICE_GPS = '+21.0278+105.8342'
export const VOICE_DEVICE = 'Samsung Galaxy A15 of Tran Van Binh'

const UNKNOWN = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
const id = (n: number) =>
  Buffer.from(n.toString(16).padStart(n > 0xffffff ? 8 : n > 0xffff ? 6 : n > 0xff ? 4 : 2, '0'), 'hex')
/** An Opus packet of one 20 ms CELT frame (TOC config 31, code 0) with filler payload. */
const packet = (n: number) => Buffer.concat([Buffer.from([0xf8]), Buffer.alloc(24, n % 251)])
const PACKET_MS = 20

export interface WebmVoiceOptions {
  seconds: number
  metadata?: boolean
  codec?: string
  /** 1 = video, 2 = audio. */
  trackType?: number
}

export function webmVoice(opts: WebmVoiceOptions): Buffer {
  const metadata = opts.metadata ?? true
  const header = element(
    0x1a45dfa3,
    uintElement(0x4286, 1),
    uintElement(0x42f7, 1),
    uintElement(0x42f2, 4),
    uintElement(0x42f3, 8),
    stringElement(0x4282, 'webm'),
    uintElement(0x4287, 4),
    uintElement(0x4285, 2),
  )
  const info = element(
    0x1549a966,
    uintElement(0x2ad7b1, 1_000_000),
    stringElement(0x4d80, metadata ? VOICE_DEVICE : 'Chrome'),
    stringElement(0x5741, metadata ? VOICE_DEVICE : 'Chrome'),
    ...(metadata ? [stringElement(0x7ba9, `Ghi âm tại ${VOICE_GPS}`), uintElement(0x4461, 123456789)] : []),
  )
  const tracks = element(
    0x1654ae6b,
    element(
      0xae,
      uintElement(0xd7, 1),
      uintElement(0x73c5, 0x5b2d9c41e7),
      uintElement(0x83, opts.trackType ?? 2),
      stringElement(0x86, opts.codec ?? 'A_OPUS'),
      element(0x63a2, Buffer.from('4f707573486561640101000080bb0000000000', 'hex')),
      ...(metadata ? [stringElement(0x536e, VOICE_DEVICE)] : []),
      element(0xe1, floatElement(0xb5, 48000), uintElement(0x9f, 1), uintElement(0x6264, 32)),
    ),
  )
  const clusters: Buffer[] = []
  const packets = Math.round((opts.seconds * 1000) / PACKET_MS)
  for (let start = 0; start < packets; start += 50) {
    const blocks: Buffer[] = []
    for (let i = start; i < Math.min(start + 50, packets); i++) {
      const rel = Buffer.alloc(2)
      rel.writeInt16BE((i - start) * PACKET_MS)
      blocks.push(element(0xa3, Buffer.from([0x81]), rel, Buffer.from([0x80]), packet(i)))
    }
    clusters.push(Buffer.concat([id(0x1f43b675), UNKNOWN, uintElement(0xe7, start * PACKET_MS), ...blocks]))
  }
  const tags = metadata
    ? [
        element(
          0x1254c367,
          element(
            0x7373,
            element(0x67c8, stringElement(0x45a3, 'LOCATION'), stringElement(0x4487, VOICE_GPS)),
          ),
        ),
      ]
    : []
  return Buffer.concat([header, id(0x18538067), UNKNOWN, info, tracks, ...clusters, ...tags])
}

export function oggVoice(opts: { seconds: number; metadata?: boolean }): Buffer {
  const serial = 0x1234abcd
  const preSkip = 312
  const head = Buffer.alloc(19)
  head.write('OpusHead', 0, 'latin1')
  head[8] = 1
  head[9] = 1
  head.writeUInt16LE(preSkip, 10)
  head.writeUInt32LE(48000, 12)
  const comments = opts.metadata === false ? [] : [`LOCATION=${VOICE_GPS}`, `ENCODER=${VOICE_DEVICE}`]
  const vendor = Buffer.from('Recorder 1.0')
  const parts = [Buffer.from('OpusTags'), u32le(vendor.length), vendor, u32le(comments.length)]
  for (const c of comments) parts.push(u32le(Buffer.byteLength(c)), Buffer.from(c))
  const tags = Buffer.concat(parts)
  const pages = [
    oggPage(serial, 0, 2, 0n, [19], head),
    oggPage(serial, 1, 0, 0n, lacingOf(tags.length), tags),
  ]
  const packets = Math.round((opts.seconds * 1000) / PACKET_MS)
  let seq = 2
  for (let start = 0; start < packets; start += 50) {
    const count = Math.min(50, packets - start)
    const body = Buffer.concat(Array.from({ length: count }, (_, i) => packet(start + i)))
    const granule = BigInt(preSkip + (start + count) * 960)
    const last = start + count >= packets
    pages.push(oggPage(serial, seq++, last ? 4 : 0, granule, Array(count).fill(25), body))
  }
  return Buffer.concat(pages)
}

function u32le(n: number) {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}

function lacingOf(length: number): number[] {
  const out: number[] = []
  let left = length
  while (left >= 255) {
    out.push(255)
    left -= 255
  }
  out.push(left)
  return out
}
