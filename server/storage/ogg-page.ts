/**
 * The one Ogg page reader (RFC 3533) behind both the voice-message check (ogg-opus.ts) and the
 * metadata stripper (ogg.ts): the page header, its segment table, where its data lies, and the
 * page CRC. Callers turn a `null` (not a whole, well-formed page) into their own refusal.
 */

/** Fixed part of a page header, before the segment table. */
export const OGG_HEADER_BYTES = 27
/** The most a page header can take: the fixed part and a full segment table. */
export const OGG_MAX_HEADER_BYTES = OGG_HEADER_BYTES + 255

export interface OggPage {
  start: number
  /** Where the packet data begins (after the segment table). */
  dataStart: number
  end: number
  /** Header type: 0x01 continued packet, 0x02 first page, 0x04 last page. */
  flags: number
  granule: bigint
  serial: number
  lacing: Buffer
}

/**
 * The page whose header starts `head` (read at file offset `at`, at least the fixed part and its
 * segment table), in a file of `fileSize` bytes; null when it is not an Ogg page or runs past the end.
 */
export function parseOggPage(head: Buffer, at: number, fileSize: number): OggPage | null {
  if (head.length < OGG_HEADER_BYTES || head.toString('latin1', 0, 4) !== 'OggS' || head[4] !== 0) return null
  const count = head[26]!
  if (head.length < OGG_HEADER_BYTES + count) return null
  const lacing = Buffer.from(head.subarray(OGG_HEADER_BYTES, OGG_HEADER_BYTES + count))
  let length = 0
  for (const l of lacing) length += l
  const dataStart = at + OGG_HEADER_BYTES + count
  if (dataStart + length > fileSize) return null
  return {
    start: at,
    dataStart,
    end: dataStart + length,
    flags: head[5]!,
    granule: head.readBigInt64LE(6),
    serial: head.readUInt32LE(14),
    lacing,
  }
}

/** CRC-32 of Ogg pages: polynomial 0x04c11db7, initial value 0, not reflected. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let i = 0; i < 256; i++) {
    let r = i << 24
    for (let j = 0; j < 8; j++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1
    t[i] = r >>> 0
  }
  return t
})()

/** The CRC of a whole page, its own CRC field (bytes 22–25) counted as zeros. */
export function oggCrc(page: Buffer): number {
  let crc = 0
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i]!
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0
  }
  return crc
}
