import { type EbmlElement, EbmlError, readElement } from './ebml'
import { MediaContainerError } from './media-container-error'
import { bufferAccess, type RandomAccess, zeroRange } from './random-access'

/**
 * WebM and Matroska (EBML) files: the element structure is checked for real, and metadata can be
 * removed in place. Recorders and editors write a title, the muxing and writing applications, the
 * date (`DateUTC`), segment identifiers shared by the clips of one session, track names, chapters,
 * attachments (cover pictures, any file) and tags (`Tags/SimpleTag`: LOCATION with a GPS position,
 * ENCODER, the device, DATE_RECORDED). Removing an element would move the clusters and break the
 * SeekHead and Cues positions, so a metadata element is overwritten by an EBML `Void` element of
 * the same length filled with zeros, and the mandatory MuxingApp and WritingApp strings are zeroed
 * (an empty string): positions stay valid, players skip `Void`, and the bytes are gone.
 *
 * Hostile input: every size is checked against its parent, only Segment and Cluster may have an
 * unknown size, nothing nests deeper than the few masters walked here, and the walk stops after
 * MAX_ELEMENTS element headers; the whole file is checked before a byte is written.
 */

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  EBMLReadVersion: 0x42f7,
  EBMLMaxIDLength: 0x42f2,
  EBMLMaxSizeLength: 0x42f3,
  Segment: 0x18538067,
  SeekHead: 0x114d9b74,
  Seek: 0x4dbb,
  SeekID: 0x53ab,
  Info: 0x1549a966,
  TimestampScale: 0x2ad7b1,
  Duration: 0x4489,
  MuxingApp: 0x4d80,
  WritingApp: 0x5741,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackType: 0x83,
  CodecID: 0x86,
  Name: 0x536e,
  CodecName: 0x258688,
  Cluster: 0x1f43b675,
  Cues: 0x1c53bb6b,
  Chapters: 0x1043a770,
  Tags: 0x1254c367,
  Attachments: 0x1941a469,
  Void: 0xec,
  CRC32: 0xbf,
} as const

/** Segment children kept as they are (everything else at that level is metadata or unknown). */
const KEPT_TOP = new Set<number>([ID.SeekHead, ID.Info, ID.Tracks, ID.Cluster, ID.Cues])
const SEGMENT_CHILDREN = new Set<number>([
  ...KEPT_TOP,
  ID.Chapters,
  ID.Tags,
  ID.Attachments,
  ID.Void,
  ID.CRC32,
])
/** Timestamp, SilentTracks, Position, PrevSize, SimpleBlock, BlockGroup, EncryptedBlock, Void, CRC-32. */
const CLUSTER_CHILDREN = new Set<number>([0xe7, 0x5854, 0xa7, 0xab, 0xa3, 0xa0, 0xaf, ID.Void, ID.CRC32])
/** Info children that are kept: how to read the timestamps. MuxingApp/WritingApp are zeroed. */
const KEPT_INFO = new Set<number>([ID.TimestampScale, ID.Duration])
/** TrackEntry children that only describe: a track's name, a codec's human name; CRC-32 would go stale. */
const VOIDED_TRACK = new Set<number>([ID.Name, ID.CodecName, ID.CRC32])

/** Element headers read before a file is refused (about 2 M: hours of video, far more than 100 MB holds). */
export const MAX_ELEMENTS = 2_000_000

export type WebmProblem =
  | 'not_ebml'
  | 'doc_type'
  | 'broken_elements'
  | 'too_many_elements'
  | 'no_tracks'
  | 'no_media'

export class WebmError extends MediaContainerError {
  override name = 'WebmError'
  constructor(override readonly problem: WebmProblem) {
    super('webm', problem)
  }
}

export interface WebmTrack {
  type: 'video' | 'audio' | 'other'
  codec: string
}

export interface WebmInfo {
  docType: 'webm' | 'matroska'
  tracks: WebmTrack[]
  hasVideo: boolean
  hasAudio: boolean
}

interface Element {
  id: number
  start: number
  dataStart: number
  end: number
  unknownSize: boolean
}

/** What stripping will write: a Void over the whole element, or zeros over its payload. */
interface Edit {
  op: 'void' | 'zero'
  el: Element
}

const broken = () => new WebmError('broken_elements')

class Walker {
  private left = MAX_ELEMENTS
  readonly edits: Edit[] = []
  constructor(readonly src: RandomAccess) {}

  /** The element starting at `at`; a known size must end by `limit`, an unknown one ends there. */
  async header(at: number, limit: number): Promise<Element> {
    if (--this.left < 0) throw new WebmError('too_many_elements')
    // The one EBML reader (ebml.ts) on the header's bytes: an id (at most 4 bytes) and a size (8).
    let el: EbmlElement
    try {
      el = readElement(Buffer.from(await this.src.read(at, 12)), 0, limit - at)
    } catch (err) {
      if (err instanceof EbmlError) throw broken()
      throw err
    }
    return {
      id: el.id,
      start: at,
      dataStart: at + el.dataStart,
      end: at + el.dataEnd,
      unknownSize: el.unknownSize,
    }
  }

  /** The children of a master of known size, which must tile it exactly. */
  async children(parent: Element): Promise<Element[]> {
    const out: Element[] = []
    for (let at = parent.dataStart; at < parent.end; ) {
      const el = await this.header(at, parent.end)
      if (el.unknownSize) throw broken()
      out.push(el)
      at = el.end
    }
    return out
  }

  async uint(el: Element): Promise<number> {
    const n = el.end - el.dataStart
    if (n > 8) throw broken()
    let v = 0
    for (const byte of await this.src.read(el.dataStart, n)) v = v * 256 + byte
    return v
  }

  async text(el: Element, max = 64): Promise<string> {
    const raw = await this.src.read(el.dataStart, Math.min(max, el.end - el.dataStart))
    return raw.toString('latin1').replace(/\0+$/, '')
  }

  void(el: Element) {
    this.edits.push({ op: 'void', el })
  }
  zero(el: Element) {
    this.edits.push({ op: 'zero', el })
  }
}

async function readEbmlHeader(w: Walker, el: Element): Promise<WebmInfo['docType']> {
  let docType = ''
  for (const c of await w.children(el)) {
    if (c.id === ID.DocType) docType = await w.text(c)
    else if (c.id === ID.EBMLReadVersion && (await w.uint(c)) !== 1) throw broken()
    else if (c.id === ID.EBMLMaxIDLength && (await w.uint(c)) > 4) throw broken()
    else if (c.id === ID.EBMLMaxSizeLength && (await w.uint(c)) > 8) throw broken()
  }
  if (docType !== 'webm' && docType !== 'matroska') throw new WebmError('doc_type')
  return docType
}

/** Where a Cluster of unknown size ends: at the first element that cannot be its child. */
async function clusterEnd(w: Walker, cluster: Element): Promise<number> {
  for (let at = cluster.dataStart; at < cluster.end; ) {
    const el = await w.header(at, cluster.end)
    if (!CLUSTER_CHILDREN.has(el.id)) {
      if (SEGMENT_CHILDREN.has(el.id) || el.id === ID.EBML || el.id === ID.Segment) return at
      throw broken()
    }
    if (el.unknownSize) throw broken()
    at = el.end
  }
  return cluster.end
}

async function readInfo(w: Walker, info: Element): Promise<void> {
  for (const c of await w.children(info)) {
    if (c.id === ID.MuxingApp || c.id === ID.WritingApp || c.id === ID.Void) w.zero(c)
    else if (!KEPT_INFO.has(c.id)) w.void(c) // Title, DateUTC, segment UIDs and families, file names, CRC-32
  }
}

async function readTracks(w: Walker, tracks: Element, out: WebmTrack[]): Promise<void> {
  for (const entry of await w.children(tracks)) {
    if (entry.id === ID.Void) w.zero(entry)
    if (entry.id !== ID.TrackEntry) {
      if (entry.id !== ID.Void) w.void(entry)
      continue
    }
    let type = 0
    let codec = ''
    for (const c of await w.children(entry)) {
      if (c.id === ID.TrackType) type = await w.uint(c)
      else if (c.id === ID.CodecID) codec = await w.text(c)
      else if (c.id === ID.Void) w.zero(c)
      else if (VOIDED_TRACK.has(c.id)) w.void(c)
    }
    out.push({ type: type === 1 ? 'video' : type === 2 ? 'audio' : 'other', codec })
  }
}

/** Seek entries pointing at what is removed go too (a player would find a Void there). */
async function readSeekHead(w: Walker, head: Element): Promise<void> {
  for (const seek of await w.children(head)) {
    if (seek.id === ID.Void) {
      w.zero(seek)
      continue
    }
    if (seek.id !== ID.Seek) {
      w.void(seek)
      continue
    }
    let target = 0
    for (const c of await w.children(seek)) if (c.id === ID.SeekID) target = await w.uint(c)
    if (!KEPT_TOP.has(target)) w.void(seek)
  }
}

/** Walks one Segment; returns where it ends (an unknown size ends at the next EBML header or the file's end). */
async function readSegment(
  w: Walker,
  segment: Element,
  found: { tracks: WebmTrack[]; info: boolean; clusters: number },
): Promise<number> {
  for (let at = segment.dataStart; at < segment.end; ) {
    const el = await w.header(at, segment.end)
    if (segment.unknownSize && (el.id === ID.EBML || el.id === ID.Segment)) return at
    if (el.unknownSize) {
      if (el.id !== ID.Cluster) throw broken()
      el.end = await clusterEnd(w, el)
    }
    if (el.id === ID.Info) {
      found.info = true
      await readInfo(w, el)
    } else if (el.id === ID.Tracks) await readTracks(w, el, found.tracks)
    else if (el.id === ID.SeekHead) await readSeekHead(w, el)
    else if (el.id === ID.Cluster) found.clusters++
    else if (el.id === ID.Void)
      w.zero(el) // padding can hide anything
    else if (!KEPT_TOP.has(el.id)) w.void(el) // Tags, Attachments, Chapters, CRC-32, unknown elements
    at = el.end
  }
  return segment.end
}

/** Checks the whole file and lists the edits that remove its metadata. */
async function analyse(src: RandomAccess): Promise<{ info: WebmInfo; edits: Edit[] }> {
  const w = new Walker(src)
  const magic = await src.read(0, 4)
  if (magic.length < 4 || magic.readUInt32BE(0) !== ID.EBML) throw new WebmError('not_ebml')
  const found = { tracks: [] as WebmTrack[], info: false, clusters: 0 }
  let docType: WebmInfo['docType'] | undefined
  let segments = 0
  for (let at = 0; at < src.size; ) {
    const el = await w.header(at, src.size)
    if (el.id === ID.EBML && !el.unknownSize) {
      const type = await readEbmlHeader(w, el)
      docType ??= type
      at = el.end
    } else if (el.id === ID.Segment && docType) {
      segments++
      at = await readSegment(w, el, found)
    } else if (el.id === ID.Void && !el.unknownSize) {
      w.zero(el)
      at = el.end
    } else throw broken()
  }
  if (!docType || !segments || !found.info) throw broken()
  if (!found.tracks.length) throw new WebmError('no_tracks')
  if (!found.clusters) throw new WebmError('no_media')
  const info: WebmInfo = {
    docType,
    tracks: found.tracks,
    hasVideo: found.tracks.some((t) => t.type === 'video'),
    hasAudio: found.tracks.some((t) => t.type === 'audio'),
  }
  return { info, edits: w.edits }
}

/** A Void element exactly `length` bytes long (length ≥ 2): its size field is as wide as needed. */
function voidHeader(length: number): Buffer {
  for (let n = 1; n <= 8; n++) {
    const payload = length - 1 - n
    if (payload < 0 || payload >= 2 ** (7 * n) - 1) continue
    const head = Buffer.alloc(1 + n)
    head[0] = ID.Void
    let v = payload
    for (let i = n; i >= 1; i--) {
      head[i] = v % 256
      v = Math.floor(v / 256)
    }
    head[1]! |= 0x80 >> (n - 1)
    return head
  }
  throw broken()
}

const accessOf = (target: RandomAccess | Buffer) => (Buffer.isBuffer(target) ? bufferAccess(target) : target)

/** Checks a WebM or Matroska file (EBML header, a Segment with Info, Tracks and Clusters); throws WebmError. */
export async function checkWebm(target: RandomAccess | Buffer): Promise<WebmInfo> {
  return (await analyse(accessOf(target))).info
}

/**
 * Checks the file, then removes its metadata in place (tags, attachments, chapters, title, date,
 * segment identifiers, track names; muxing and writing applications emptied; Void padding zeroed).
 * The size and every position stay the same. A buffer is changed in place; for a spooled file pass
 * `fileAccess(fh, size)` with `fh` opened `r+`. Throws WebmError before writing anything.
 */
export async function stripWebmMetadata(
  target: RandomAccess | Buffer,
): Promise<WebmInfo & { removed: number }> {
  const src = accessOf(target)
  const { info, edits } = await analyse(src)
  let removed = 0
  for (const { op, el } of edits) {
    if (op === 'zero') {
      await zeroRange(src, el.dataStart, el.end)
      continue
    }
    const head = voidHeader(el.end - el.start)
    await src.write(el.start, head)
    await zeroRange(src, el.start + head.length, el.end)
    removed++
  }
  return { ...info, removed }
}
