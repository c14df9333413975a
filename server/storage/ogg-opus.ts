import {
  OGG_HEADER_BYTES,
  OGG_MAX_HEADER_BYTES,
  oggCrc,
  type OggPage as Page,
  parseOggPage,
} from './ogg-page'
import { AudioFormatError, type ParsedAudio } from './opus'

/**
 * A voice recording in Ogg (what Firefox's MediaRecorder and many phone recorders write): one
 * logical stream of Opus, every page's checksum verified, its length taken from the last granule
 * position (RFC 7845 §4). The comment header (OpusTags: vendor string and free-form comments such
 * as title, artist, date, place or device) is replaced by an empty one; the identification header
 * and the audio pages are kept, renumbered, with fresh checksums.
 */

const OPUS_RATE = 48_000
const CONTINUED = 0x01
const FIRST_PAGE = 0x02

const fail = (detail: string): never => {
  throw new AudioFormatError('unreadable', detail)
}

function readPages(buf: Buffer): Page[] {
  const pages: Page[] = []
  let pos = 0
  while (pos < buf.length) {
    const page = parseOggPage(buf.subarray(pos, pos + OGG_MAX_HEADER_BYTES), pos, buf.length)
    if (!page) return fail('not a whole Ogg page')
    const bytes = buf.subarray(pos, page.end)
    if (oggCrc(bytes) !== bytes.readUInt32LE(22)) fail('page checksum does not match')
    pages.push(page)
    pos = page.end
  }
  return pages
}

/** Index of the page on which the packet starting on page `from` ends (its last lacing value < 255). */
function packetEndPage(pages: Page[], from: number): number {
  for (let i = from; i < pages.length; i++) {
    const lacing = pages[i]!.lacing
    const done = lacing.findIndex((v) => v < 255)
    if (done !== -1) {
      // The header packets end their page: audio starts on a new one (RFC 7845 §3).
      if (done !== lacing.length - 1) fail('a header packet shares its page')
      return i
    }
  }
  return fail('unterminated header packet')
}

/** One Ogg page with its checksum (also used by the tests to build recordings). */
export function oggPage(
  serial: number,
  seq: number,
  headerType: number,
  granule: bigint,
  lacing: ArrayLike<number>,
  body: Buffer,
): Buffer {
  const head = Buffer.alloc(OGG_HEADER_BYTES + lacing.length)
  head.write('OggS', 0, 'latin1')
  head[5] = headerType
  head.writeBigInt64LE(granule, 6)
  head.writeUInt32LE(serial, 14)
  head.writeUInt32LE(seq, 18)
  head[26] = lacing.length
  Buffer.from(lacing).copy(head, OGG_HEADER_BYTES)
  const out = Buffer.concat([head, body])
  out.writeUInt32LE(oggCrc(out), 22)
  return out
}

/** Reads and checks the file, then writes it again without its comments. */
export function readOggOpus(buf: Buffer): ParsedAudio {
  const pages = readPages(buf)
  const first = pages[0]
  if (!first || !(first.flags & FIRST_PAGE)) fail('no first page')
  const serial = first!.serial
  if (pages.some((p) => p.serial !== serial)) throw new AudioFormatError('not_opus', 'several streams')
  const head = buf.subarray(first!.dataStart, first!.end)
  if (head.toString('latin1', 0, 8) !== 'OpusHead') throw new AudioFormatError('not_opus', 'not Opus')
  if (head.length < 19 || head[8]! >> 4 !== 0) fail('unsupported Opus header')
  if (packetEndPage(pages, 0) !== 0) fail('identification header spans pages')
  const preSkip = head.readUInt16LE(10)

  const tagsPage = pages[1]
  if (!tagsPage || buf.toString('latin1', tagsPage.dataStart, tagsPage.dataStart + 8) !== 'OpusTags')
    fail('no comment header')
  const audioFrom = packetEndPage(pages, 1) + 1
  const audio = pages.slice(audioFrom)
  if (audio.some((p) => p.flags & FIRST_PAGE)) throw new AudioFormatError('not_opus', 'chained streams')
  if (audio[0] && audio[0].flags & CONTINUED) fail('audio continues a header packet')

  let lastGranule = -1n
  for (const p of audio) if (p.granule !== -1n && p.granule > lastGranule) lastGranule = p.granule
  const samples = lastGranule > BigInt(preSkip) ? Number(lastGranule - BigInt(preSkip)) : 0
  const durationMs = Math.round((samples * 1000) / OPUS_RATE)

  const vendor = Buffer.from('NhipCau', 'latin1')
  const tags = Buffer.alloc(8 + 4 + vendor.length + 4)
  tags.write('OpusTags', 0, 'latin1')
  tags.writeUInt32LE(vendor.length, 8)
  vendor.copy(tags, 12)
  tags.writeUInt32LE(0, 12 + vendor.length) // no comments
  const out = [
    buf.subarray(first!.start, first!.end),
    oggPage(serial, 1, 0, 0n, [tags.length], tags),
    ...audio.map((p, i) =>
      oggPage(serial, 2 + i, p.flags, p.granule, p.lacing, buf.subarray(p.dataStart, p.end)),
    ),
  ]
  return { durationMs, clean: Buffer.concat(out) }
}
