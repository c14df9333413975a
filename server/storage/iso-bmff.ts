import type { FileHandle } from 'node:fs/promises'
import { MediaContainerError } from './media-container-error'
import { fileAccess, type RandomAccess, zeroRange } from './random-access'

/**
 * ISO base media files (MP4, QuickTime, 3GP): the box structure is checked for real, and metadata
 * can be removed in place. Phones write the place a clip was shot (`©xyz`, `loci`, Apple's
 * `com.apple.quicktime.location.ISO6709` in `meta/keys`), the device (`©mak`, `©mod`) and creation
 * times (`mvhd`, `tkhd`, `mdhd`). Removing a box would move the media and break every chunk offset
 * (`stco`/`co64`), so a metadata box is turned into a `free` box of the same size filled with zeros,
 * and the times are zeroed: offsets stay valid, players ignore `free`, and the bytes are gone.
 */

/** Brands of video files phones, cameras and browsers write. */
const VIDEO_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'avc1',
  'qt  ',
  'M4V ',
  'M4VH',
  'M4VP',
  '3gp4',
  '3gp5',
  '3gp6',
  '3gp7',
  '3g2a',
  '3g2b',
  '3g2c',
  'mmp4',
  'MSNV',
  'XAVC',
  'dash',
  'f4v ',
  'kddi',
])
/** Still images in the same container (HEIF, AVIF): never a video, whatever else the file claims. */
const IMAGE_BRANDS = new Set([
  'heic',
  'heix',
  'hevc',
  'hevx',
  'heim',
  'heis',
  'mif1',
  'msf1',
  'avif',
  'avis',
  'avci',
])

/** Boxes that only ever hold metadata about the clip, its author, device or place. */
const METADATA_BOXES = new Set(['udta', 'meta', 'uuid', 'XMP_', 'loci', '\xa9xyz'])
/** Boxes whose children are boxes (the ones metadata hides in, and the ones the check walks). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex', 'moof', 'traf'])
/** Full boxes carrying creation and modification times. */
const TIMED = new Set(['mvhd', 'tkhd', 'mdhd'])

const MAX_BOXES = 20_000

export type IsoBmffProblem =
  | 'not_iso_bmff'
  | 'image_brand'
  | 'unknown_brand'
  | 'broken_boxes'
  | 'no_video_track'

export class IsoBmffError extends MediaContainerError {
  override name = 'IsoBmffError'
  constructor(override readonly problem: IsoBmffProblem) {
    super('iso-bmff', problem)
  }
}

interface Box {
  type: string
  start: number
  headerSize: number
  size: number
}

export interface IsoBmffInfo {
  majorBrand: string
  brands: string[]
  quicktime: boolean
}

const readAt = async (src: RandomAccess, position: number, length: number) =>
  Buffer.from(await src.read(position, length))

/** The boxes between `start` and `end`, which must tile the range exactly. */
async function boxesIn(fh: RandomAccess, start: number, end: number, budget: { n: number }): Promise<Box[]> {
  const out: Box[] = []
  let at = start
  while (at < end) {
    if (--budget.n < 0 || end - at < 8) throw new IsoBmffError('broken_boxes')
    const head = await readAt(fh, at, 16)
    let size = head.readUInt32BE(0)
    const type = head.subarray(4, 8).toString('latin1')
    let headerSize = 8
    if (size === 1) {
      if (head.length < 16) throw new IsoBmffError('broken_boxes')
      size = Number(head.readBigUInt64BE(8))
      headerSize = 16
    } else if (size === 0) size = end - at
    if (size < headerSize || at + size > end) throw new IsoBmffError('broken_boxes')
    out.push({ type, start: at, headerSize, size })
    at += size
  }
  return out
}

/**
 * Checks the whole structure: an `ftyp` first with a known video brand (never an image brand), the
 * top-level boxes tiling the file, a `moov` with at least one video track, and media data.
 */
export function checkVideo(fh: FileHandle, fileSize: number): Promise<IsoBmffInfo> {
  return checkIsoBmff(fileAccess(fh, fileSize))
}

/** `checkVideo` on a file or buffer behind `RandomAccess`. */
export async function checkIsoBmff(fh: RandomAccess): Promise<IsoBmffInfo> {
  const fileSize = fh.size
  const budget = { n: MAX_BOXES }
  const head = await readAt(fh, 0, 8)
  if (head.length < 8 || head.subarray(4, 8).toString('latin1') !== 'ftyp')
    throw new IsoBmffError('not_iso_bmff')
  const top = await boxesIn(fh, 0, fileSize, budget)
  const ftyp = top[0]!
  if (ftyp.size < 16 || ftyp.size > 1024) throw new IsoBmffError('broken_boxes')
  const body = await readAt(fh, ftyp.start + ftyp.headerSize, ftyp.size - ftyp.headerSize)
  const majorBrand = body.subarray(0, 4).toString('latin1')
  const brands = [majorBrand]
  for (let i = 8; i + 4 <= body.length; i += 4) brands.push(body.subarray(i, i + 4).toString('latin1'))
  if (
    IMAGE_BRANDS.has(majorBrand) ||
    (brands.some((b) => IMAGE_BRANDS.has(b)) && !VIDEO_BRANDS.has(majorBrand))
  )
    throw new IsoBmffError('image_brand')
  if (!VIDEO_BRANDS.has(majorBrand)) throw new IsoBmffError('unknown_brand')
  const moov = top.find((b) => b.type === 'moov')
  if (!moov || !top.some((b) => b.type === 'mdat' || b.type === 'moof'))
    throw new IsoBmffError('no_video_track')
  const traks = (await boxesIn(fh, moov.start + moov.headerSize, moov.start + moov.size, budget)).filter(
    (b) => b.type === 'trak',
  )
  let video = false
  for (const trak of traks) {
    const mdia = (await boxesIn(fh, trak.start + trak.headerSize, trak.start + trak.size, budget)).find(
      (b) => b.type === 'mdia',
    )
    if (!mdia) continue
    const hdlr = (await boxesIn(fh, mdia.start + mdia.headerSize, mdia.start + mdia.size, budget)).find(
      (b) => b.type === 'hdlr',
    )
    // hdlr: version and flags (4), pre_defined (4), handler_type (4)
    if (hdlr && (await readAt(fh, hdlr.start + hdlr.headerSize + 8, 4)).toString('latin1') === 'vide')
      video = true
  }
  if (!video) throw new IsoBmffError('no_video_track')
  return { majorBrand, brands, quicktime: majorBrand === 'qt  ' }
}

/** A metadata box becomes `free` of the same size, its content zeros. */
async function blank(fh: RandomAccess, box: Box): Promise<void> {
  await fh.write(box.start + 4, Buffer.from('free', 'latin1'))
  await zeroRange(fh, box.start + box.headerSize, box.start + box.size)
}

/** Zeroes creation and modification times of an mvhd, tkhd or mdhd box. */
async function zeroTimes(fh: RandomAccess, box: Box): Promise<void> {
  const payload = box.start + box.headerSize
  const version = (await readAt(fh, payload, 1))[0]
  const width = version === 1 ? 8 : 4
  if (box.size - box.headerSize >= 4 + 2 * width) await zeroRange(fh, payload + 4, payload + 4 + 2 * width)
}

async function strip(fh: RandomAccess, start: number, end: number, budget: { n: number }): Promise<number> {
  let removed = 0
  for (const box of await boxesIn(fh, start, end, budget)) {
    if (METADATA_BOXES.has(box.type)) {
      await blank(fh, box)
      removed++
    } else if (TIMED.has(box.type)) await zeroTimes(fh, box)
    else if (box.type === 'free' || box.type === 'skip' || box.type === 'wide')
      await zeroRange(fh, box.start + box.headerSize, box.start + box.size) // padding can hide anything
    else if (CONTAINERS.has(box.type))
      removed += await strip(fh, box.start + box.headerSize, box.start + box.size, budget)
  }
  return removed
}

/**
 * Removes every metadata box (at the top level and inside the movie, its tracks and media) and zeroes
 * the creation and modification times, in place. Call `checkVideo` first. Returns how many boxes went.
 */
export function stripMetadata(fh: FileHandle, fileSize: number): Promise<number> {
  return stripIsoBmff(fileAccess(fh, fileSize))
}

/** `stripMetadata` on a file or buffer behind `RandomAccess`. */
export function stripIsoBmff(src: RandomAccess): Promise<number> {
  return strip(src, 0, src.size, { n: MAX_BOXES })
}
