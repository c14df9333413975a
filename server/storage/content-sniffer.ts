/** File kinds the platform accepts, recognised by their first bytes, never by name or declared type. */
export type SniffedKind =
  | 'jpeg'
  | 'png'
  | 'webp'
  | 'heic'
  | 'gif'
  | 'pdf'
  | 'mp4'
  | 'quicktime'
  | 'webm'
  | 'ogg'

export const sniffedMime: Record<SniffedKind, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  gif: 'image/gif',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  quicktime: 'video/quicktime',
  webm: 'video/webm',
  ogg: 'audio/ogg',
}

export const imageKinds: readonly SniffedKind[] = ['jpeg', 'png', 'webp', 'heic']
export const videoKinds: readonly SniffedKind[] = ['mp4', 'quicktime', 'webm']

const startsWith = (buf: Buffer, bytes: number[], offset = 0) => bytes.every((b, i) => buf[offset + i] === b)
const ascii = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString('latin1')

/** Needs the first 64 bytes of the file. Returns undefined for anything not on the list. */
export function sniffContent(head: Buffer): SniffedKind | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg'
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp'
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'gif'
  if (ascii(head, 0, 5) === '%PDF-') return 'pdf'
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'webm'
  // An Ogg page, version 0, first of its stream (voice messages from Firefox and phone recorders).
  if (ascii(head, 0, 4) === 'OggS' && head[4] === 0) return 'ogg'
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12)
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heic'
    if (['avif', 'avis', 'avci'].includes(brand)) return undefined // AVIF stills: not accepted
    if (brand === 'qt  ') return 'quicktime'
    return 'mp4'
  }
  return undefined
}
