import { MediaContainerError } from './media-container-error'
import { OGG_MAX_HEADER_BYTES, oggCrc, type OggPage as Page, parseOggPage } from './ogg-page'
import { bufferAccess, type RandomAccess } from './random-access'

/**
 * Ogg audio (Opus, Vorbis): the page structure is checked for real, and the comment header can be
 * emptied in place. Every logical stream's second packet is its comment header: a vendor string
 * (the encoder, often the app and version) and tags (TITLE, ARTIST, DATE, LOCATION, a cover picture).
 * It is rewritten to the same length — vendor empty, no tags, zero padding (RFC 7845 §5.2 lets
 * OpusTags end in zero padding; Vorbis ignores what follows the framing bit) — so no page changes
 * size; the pages it spans get their CRC recomputed.
 *
 * Hostile input: pages must tile the file exactly, only Opus and Vorbis streams are accepted, the
 * header pages' CRCs must be right, and the walk stops after MAX_PAGES pages.
 */

export const MAX_PAGES = 500_000
const MAX_STREAMS = 8

export type OggProblem = 'not_ogg' | 'broken_pages' | 'too_many_pages' | 'unknown_codec' | 'no_media'

export class OggError extends MediaContainerError {
  override name = 'OggError'
  constructor(override readonly problem: OggProblem) {
    super('ogg', problem)
  }
}

export interface OggInfo {
  codecs: ('opus' | 'vorbis')[]
}

const broken = () => new OggError('broken_pages')

interface Stream {
  codec: 'opus' | 'vorbis'
  packets: number
  /** The packet being assembled: its byte ranges across pages. */
  spans: { page: Page; from: number; to: number }[]
  done: boolean
}

const OPUS_HEAD = Buffer.from('OpusHead', 'latin1')
const OPUS_TAGS = Buffer.from('OpusTags', 'latin1')
const VORBIS_ID = Buffer.from('\x01vorbis', 'latin1')
const VORBIS_COMMENT = Buffer.from('\x03vorbis', 'latin1')

async function readPage(src: RandomAccess, at: number): Promise<Page> {
  const head = await src.read(at, Math.min(OGG_MAX_HEADER_BYTES, src.size - at))
  const page = parseOggPage(Buffer.from(head), at, src.size)
  if (!page) throw broken()
  return page
}

async function pageBytes(src: RandomAccess, page: Page) {
  return Buffer.from(await src.read(page.start, page.end - page.start))
}

/** Splits a page's data into packet pieces: [from, to, ends a packet]. */
function pieces(page: Page): [number, number, boolean][] {
  const out: [number, number, boolean][] = []
  let from = page.dataStart
  let at = page.dataStart
  for (const l of page.lacing) {
    at += l
    if (l < 255) {
      out.push([from, at, true])
      from = at
    }
  }
  if (at > from) out.push([from, at, false]) // continues on the next page
  return out
}

async function startsWith(src: RandomAccess, spans: Stream['spans'], magic: Buffer) {
  const parts: Buffer[] = []
  let have = 0
  for (const s of spans) {
    if (have >= magic.length) break
    const b = await src.read(s.from, Math.min(s.to - s.from, magic.length - have))
    parts.push(Buffer.from(b))
    have += b.length
  }
  return Buffer.concat(parts).subarray(0, magic.length).equals(magic)
}

/** Checks every page and finds each stream's comment header. */
async function analyse(src: RandomAccess): Promise<{ info: OggInfo; comments: Stream[] }> {
  const magic = await src.read(0, 4)
  if (magic.toString('latin1') !== 'OggS') throw new OggError('not_ogg')
  const streams = new Map<number, Stream>()
  let pages = 0
  let mediaPages = 0
  for (let at = 0; at < src.size; ) {
    if (++pages > MAX_PAGES) throw new OggError('too_many_pages')
    const page = await readPage(src, at)
    let stream = streams.get(page.serial)
    if (page.flags & 0x02) {
      // Beginning of a stream: its first packet names the codec.
      if (stream || streams.size >= MAX_STREAMS) throw broken()
      const first = await src.read(page.dataStart, 8)
      const codec = first.equals(OPUS_HEAD)
        ? 'opus'
        : first.subarray(0, 7).equals(VORBIS_ID)
          ? 'vorbis'
          : undefined
      if (!codec) throw new OggError('unknown_codec')
      stream = { codec, packets: 0, spans: [], done: false }
      streams.set(page.serial, stream)
    }
    if (!stream) throw broken()
    if (stream.done) mediaPages++
    else {
      if ((await src.read(page.start + 22, 4)).readUInt32LE(0) !== oggCrc(await pageBytes(src, page)))
        throw broken()
      const continued = (page.flags & 0x01) !== 0
      if (continued !== stream.spans.length > 0) throw broken()
      for (const [from, to, ends] of pieces(page)) {
        if (stream.done) break
        stream.spans.push({ page, from, to })
        if (!ends) continue
        if (stream.packets === 1) {
          stream.done = true // the comment header: kept in `spans`
          break
        }
        stream.packets++
        stream.spans = []
      }
    }
    at = page.end
  }
  const list = [...streams.values()]
  if (!list.length || list.some((s) => !s.done)) throw broken()
  for (const s of list)
    if (!(await startsWith(src, s.spans, s.codec === 'opus' ? OPUS_TAGS : VORBIS_COMMENT))) throw broken()
  if (!mediaPages) throw new OggError('no_media')
  return { info: { codecs: list.map((s) => s.codec) }, comments: list }
}

/** The emptied comment header, `length` bytes long (at least 16). */
function emptyComment(codec: Stream['codec'], length: number): Buffer {
  if (length < 16) throw broken()
  const out = Buffer.alloc(length) // vendor length 0, no tags, then zeros
  if (codec === 'opus') OPUS_TAGS.copy(out, 0)
  else {
    VORBIS_COMMENT.copy(out, 0)
    out[15] = 1 // framing bit after the empty vendor (4 bytes) and count (4 bytes)
  }
  return out
}

export async function checkOgg(target: RandomAccess | Buffer): Promise<OggInfo> {
  return (await analyse(Buffer.isBuffer(target) ? bufferAccess(target) : target)).info
}

/**
 * Checks the file, then empties every stream's comment header in place (vendor and tags gone; the
 * size and every page stay the same, their CRCs recomputed). A buffer is changed in place; for a
 * spooled file pass `fileAccess(fh, size)` with `fh` opened `r+`. Throws OggError before writing.
 */
export async function stripOggMetadata(
  target: RandomAccess | Buffer,
): Promise<OggInfo & { removed: number }> {
  const src = Buffer.isBuffer(target) ? bufferAccess(target) : target
  const { info, comments } = await analyse(src)
  for (const s of comments) {
    const length = s.spans.reduce((n, p) => n + p.to - p.from, 0)
    const fresh = emptyComment(s.codec, length)
    let at = 0
    for (const span of s.spans) {
      await src.write(span.from, fresh.subarray(at, at + span.to - span.from))
      at += span.to - span.from
    }
    for (const page of new Set(s.spans.map((p) => p.page))) {
      const bytes = await pageBytes(src, page)
      const crc = Buffer.alloc(4)
      crc.writeUInt32LE(oggCrc(bytes), 0)
      await src.write(page.start + 22, crc)
    }
  }
  return { ...info, removed: comments.length }
}
