import { oggCrc } from '../storage/ogg-page'
import { DEVICE_STRING, GPS_STRING } from './mp4-fixture'

/**
 * Real-shaped Ogg Opus files from a minimal page writer: OpusHead on the first page, OpusTags
 * (vendor naming the app and phone, LOCATION with a GPS position, and optionally a cover picture
 * large enough to span several pages) and audio pages, each page with its CRC.
 */
export { DEVICE_STRING, GPS_STRING }
export const VENDOR_STRING = `Zalo voice 23.11 on ${DEVICE_STRING}`

export function oggPage(opts: {
  serial: number
  seq: number
  flags: number
  granule?: bigint
  segments: number[]
  data: Buffer
}): Buffer {
  const head = Buffer.alloc(27)
  head.write('OggS', 0, 'latin1')
  head[5] = opts.flags
  head.writeBigInt64LE(opts.granule ?? 0n, 6)
  head.writeUInt32LE(opts.serial, 14)
  head.writeUInt32LE(opts.seq, 18)
  head[26] = opts.segments.length
  const page = Buffer.concat([head, Buffer.from(opts.segments), opts.data])
  page.writeUInt32LE(oggCrc(page), 22)
  return page
}

const lacing = (length: number) => [...Array(Math.floor(length / 255)).fill(255), length % 255]

/** Packets laid out on pages of at most 255 segments, continuing packets across pages. */
export function oggStream(serial: number, packets: Buffer[], firstFlags = 0x02): Buffer {
  const pages: Buffer[] = []
  let seq = 0
  let segments: number[] = []
  let data: Buffer[] = []
  /** The page being filled starts with the rest of a packet. */
  let continued = false
  const flush = (last: boolean) => {
    const flags = (seq === 0 ? firstFlags : 0) | (continued ? 0x01 : 0) | (last ? 0x04 : 0)
    continued = false
    pages.push(
      oggPage({ serial, seq: seq++, flags, granule: BigInt(seq * 960), segments, data: Buffer.concat(data) }),
    )
    segments = []
    data = []
  }
  packets.forEach((packet, p) => {
    let at = 0
    for (const l of lacing(packet.length)) {
      if (segments.length === 255) {
        flush(false)
        continued = true
      }
      segments.push(l)
      data.push(packet.subarray(at, at + l))
      at += l
    }
    // Headers end their page (RFC 7845 §3); audio packets share pages.
    if (p < 2) flush(false)
  })
  if (segments.length) flush(true)
  return Buffer.concat(pages)
}

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

export function opusTags(vendor: string, comments: string[]): Buffer {
  const parts = [Buffer.from('OpusTags', 'latin1')]
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n, 0)
    return b
  }
  const v = Buffer.from(vendor, 'utf8')
  parts.push(u32(v.length), v, u32(comments.length))
  for (const c of comments) {
    const b = Buffer.from(c, 'utf8')
    parts.push(u32(b.length), b)
  }
  return Buffer.concat(parts)
}

export function oggOpusWithMetadata(opts: { cover?: boolean; packets?: number } = {}): Buffer {
  const comments = [`LOCATION=${GPS_STRING}`, 'DATE=2026-11-30', `ENCODER=${DEVICE_STRING}`]
  if (opts.cover) comments.push(`METADATA_BLOCK_PICTURE=${'Q'.repeat(70_000)}`)
  const audio = Array.from({ length: opts.packets ?? 50 }, (_, i) => Buffer.alloc(40 + (i % 7), i % 251))
  return oggStream(0x1234abcd, [OPUS_HEAD, opusTags(VENDOR_STRING, comments), ...audio])
}
