import { DEVICE_STRING, GPS_STRING } from './mp4-fixture'

/**
 * Real-shaped WebM files from a minimal EBML writer: the EBML header, then a Segment with a
 * SeekHead (pointing at Info, Tracks, Cues and Tags), Void padding, Info (title, muxing and writing
 * apps, date, segment UID), Tracks (VP8 video named after the phone, Opus audio), Clusters of
 * SimpleBlocks, Cues, Tags (LOCATION with a GPS position, ENCODER with the device, DATE_RECORDED)
 * and Attachments (a "cover" file). `unknownSizes` writes the Segment and Clusters the way a
 * browser's MediaRecorder does (size unknown, all ones).
 */
export { DEVICE_STRING, GPS_STRING }
export const TITLE_STRING = 'Quay lén ở ngõ 12 - Nguyễn Văn A'
export const APP_STRING = 'Lavf60.3.100 Camera of Pixel 8 Pro'
export const HIDDEN_STRING = 'hidden in the padding'
export const COVER_STRING = 'cover picture with EXIF'

const idBytes = (id: number) => {
  const out: number[] = []
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256)
  return Buffer.from(out)
}

/** An EBML size on 8 bytes (always allowed), or the shortest one. */
export function ebmlSize(n: number, width?: number): Buffer {
  let length = width ?? 1
  while (!width && n >= 2 ** (7 * length) - 1) length++
  const out = Buffer.alloc(length)
  let v = n
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256
    v = Math.floor(v / 256)
  }
  out[0]! |= 0x80 >> (length - 1)
  return out
}

const UNKNOWN = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])

export const ebml = (id: number, ...parts: Buffer[]) => {
  const payload = Buffer.concat(parts)
  return Buffer.concat([idBytes(id), ebmlSize(payload.length), payload])
}
export const ebmlUnknown = (id: number, ...parts: Buffer[]) => Buffer.concat([idBytes(id), UNKNOWN, ...parts])
export const ebmlUint = (id: number, v: number, width = 0) => {
  const out: number[] = []
  for (let x = v; x > 0 || out.length < width || out.length === 0; x = Math.floor(x / 256))
    out.unshift(x % 256)
  return ebml(id, Buffer.from(out))
}
export const ebmlText = (id: number, s: string) => ebml(id, Buffer.from(s, 'utf8'))
const ebmlFloat = (id: number, v: number) => {
  const b = Buffer.alloc(8)
  b.writeDoubleBE(v, 0)
  return ebml(id, b)
}

export const ebmlHeader = (docType = 'webm') =>
  ebml(
    0x1a45dfa3,
    ebmlUint(0x4286, 1),
    ebmlUint(0x42f7, 1),
    ebmlUint(0x42f2, 4),
    ebmlUint(0x42f3, 8),
    ebmlText(0x4282, docType),
    ebmlUint(0x4287, 4),
    ebmlUint(0x4285, 2),
  )

const OPUS_HEAD = Buffer.from([
  ...Buffer.from('OpusHead', 'latin1'),
  1,
  1,
  0x38,
  1,
  0x80,
  0xbb,
  0,
  0,
  0,
  0,
  0,
])

export interface WebmOptions {
  unknownSizes?: boolean
  /** Audio only (a voice message): no video track. */
  audioOnly?: boolean
  clusters?: number
  metadata?: boolean
}

function clusterBytes(i: number, opts: WebmOptions): Buffer {
  const blocks: Buffer[] = [ebmlUint(0xe7, i * 1000)]
  for (let f = 0; f < 5; f++) {
    const frame = Buffer.alloc(opts.audioOnly ? 60 : 900, (i * 7 + f) % 251)
    const track = opts.audioOnly || f % 2 ? 2 : 1
    blocks.push(ebml(0xa3, Buffer.from([0x80 | track, 0, f * 20, 0x80]), frame))
  }
  return opts.unknownSizes ? ebmlUnknown(0x1f43b675, ...blocks) : ebml(0x1f43b675, ...blocks)
}

export function webmWithMetadata(opts: WebmOptions = {}): Buffer {
  const metadata = opts.metadata ?? true
  const info = ebml(
    0x1549a966,
    ebmlUint(0x2ad7b1, 1_000_000),
    ebmlText(0x4d80, metadata ? APP_STRING : 'x'),
    ebmlText(0x5741, metadata ? APP_STRING : 'x'),
    ...(metadata
      ? [
          ebmlText(0x7ba9, TITLE_STRING),
          ebml(0x4461, Buffer.from('0b1e2d3c4b5a6978', 'hex')),
          ebml(0x73a4, Buffer.from('00112233445566778899aabbccddeeff', 'hex')),
        ]
      : []),
    ebmlFloat(0x4489, 5000),
  )
  const video = ebml(
    0xae,
    ebmlUint(0xd7, 1),
    ebmlUint(0x73c5, 0x1234),
    ebmlUint(0x83, 1),
    ebmlText(0x86, 'V_VP8'),
    ...(metadata ? [ebmlText(0x536e, `Camera sau ${DEVICE_STRING}`)] : []),
    ebml(0xe0, ebmlUint(0xb0, 320), ebmlUint(0xba, 240)),
  )
  const audio = ebml(
    0xae,
    ebmlUint(0xd7, 2),
    ebmlUint(0x73c5, 0x5678),
    ebmlUint(0x83, 2),
    ebmlText(0x86, 'A_OPUS'),
    ebml(0x63a2, OPUS_HEAD),
    ebml(0xe1, ebmlFloat(0xb5, 48000), ebmlUint(0x9f, 1)),
  )
  const tracks = ebml(0x1654ae6b, ...(opts.audioOnly ? [audio] : [video, audio]))
  const voidPad = ebml(0xec, Buffer.from(HIDDEN_STRING), Buffer.alloc(20))
  const clusters = Array.from({ length: opts.clusters ?? 3 }, (_, i) => clusterBytes(i, opts))
  const simpleTag = (name: string, value: string) =>
    ebml(0x67c8, ebmlText(0x45a3, name), ebmlText(0x4487, value))
  const tags = metadata
    ? [
        ebml(
          0x1254c367,
          ebml(
            0x7373,
            ebml(0x63c0),
            simpleTag('LOCATION', GPS_STRING),
            simpleTag('ENCODER', DEVICE_STRING),
            simpleTag('DATE_RECORDED', '2026-11-30T08:00:00Z'),
          ),
        ),
        ebml(
          0x1941a469,
          ebml(
            0x61a7,
            ebmlText(0x466e, 'cover.jpg'),
            ebmlText(0x4660, 'image/jpeg'),
            ebml(0x465c, Buffer.from(COVER_STRING)),
            ebmlUint(0x46ae, 99),
          ),
        ),
      ]
    : []
  // SeekHead with fixed-width positions, so its size does not depend on them.
  const seekHead = (positions: [number, number][]) =>
    ebml(
      0x114d9b74,
      ...positions.map(([id, pos]) => ebml(0x4dbb, ebml(0x53ab, idBytes(id)), ebmlUint(0x53ac, pos, 8))),
    )
  const cuesFor = (clusterPos: number) =>
    ebml(
      0x1c53bb6b,
      ebml(0xbb, ebmlUint(0xb3, 0), ebml(0xb7, ebmlUint(0xf7, 1), ebmlUint(0xf1, clusterPos, 8))),
    )
  const targets = [0x1549a966, 0x1654ae6b, 0x1c53bb6b, ...(metadata ? [0x1254c367] : [])]
  const placeholder = seekHead(targets.map((id) => [id, 0]))
  const order = (cues: Buffer) => [voidPad, info, tracks, ...clusters, cues, ...tags]
  // Positions are relative to the Segment's data; first pass measures, second writes them.
  const measure = (parts: Buffer[]) => {
    const at: number[] = []
    let pos = placeholder.length
    for (const p of parts) {
      at.push(pos)
      pos += p.length
    }
    return at
  }
  const firstCluster = measure(order(cuesFor(0)))[3]!
  const body = order(cuesFor(firstCluster))
  const at = measure(body)
  const positionOf: Record<number, number> = {
    357149030: at[1]!,
    374648427: at[2]!,
    475249515: at[3 + clusters.length]!,
    307544935: at[4 + clusters.length]!,
  }
  const segmentData = [seekHead(targets.map((id) => [id, positionOf[id]!])), ...body]
  const segment = opts.unknownSizes
    ? ebmlUnknown(0x18538067, ...segmentData)
    : ebml(0x18538067, ...segmentData)
  return Buffer.concat([ebmlHeader(), segment])
}
