/**
 * The few pieces of EBML (the binary format of Matroska and WebM) that reading and rewriting a voice
 * recording needs: variable-length integers, element headers, and writing elements back.
 * Reference: RFC 8794 (EBML) and RFC 9559 (Matroska).
 */

export class EbmlError extends Error {
  override name = 'EbmlError'
}

/** An element size of all ones: "unknown", written by live muxers (browsers' MediaRecorder). */
export const UNKNOWN_SIZE = -1

export interface EbmlElement {
  id: number
  /** Where the element's header starts. */
  start: number
  dataStart: number
  /** Where its data ends; for an unknown size, the end of the parent (the reader finds the real end). */
  dataEnd: number
  unknownSize: boolean
}

function vintLength(first: number): number {
  for (let len = 1; len <= 8; len++) if (first & (0x80 >> (len - 1))) return len
  throw new EbmlError('invalid variable-length integer')
}

/** An element id, marker bits kept (as the specifications write ids: 0x1A45DFA3). */
export function readId(buf: Buffer, pos: number): { value: number; length: number } {
  if (pos >= buf.length) throw new EbmlError('truncated id')
  const length = vintLength(buf[pos]!)
  if (length > 4 || pos + length > buf.length) throw new EbmlError('invalid id')
  let value = 0
  for (let i = 0; i < length; i++) value = value * 256 + buf[pos + i]!
  return { value, length }
}

/** An element size, marker bit removed; UNKNOWN_SIZE when all value bits are ones. */
export function readSize(buf: Buffer, pos: number): { value: number; length: number } {
  if (pos >= buf.length) throw new EbmlError('truncated size')
  const first = buf[pos]!
  const length = vintLength(first)
  if (pos + length > buf.length) throw new EbmlError('truncated size')
  let value = first & (0xff >> length)
  let allOnes = value === 0xff >> length
  for (let i = 1; i < length; i++) {
    const b = buf[pos + i]!
    if (b !== 0xff) allOnes = false
    value = value * 256 + b
  }
  if (allOnes) return { value: UNKNOWN_SIZE, length }
  if (!Number.isSafeInteger(value)) throw new EbmlError('size too large')
  return { value, length }
}

/** The element whose header starts at `pos`, bounded by `end` (its parent's end). */
export function readElement(buf: Buffer, pos: number, end: number): EbmlElement {
  const id = readId(buf, pos)
  const size = readSize(buf, pos + id.length)
  const dataStart = pos + id.length + size.length
  const unknownSize = size.value === UNKNOWN_SIZE
  const dataEnd = unknownSize ? end : dataStart + size.value
  if (dataEnd > end || dataStart > end) throw new EbmlError('element runs past its parent')
  return { id: id.value, start: pos, dataStart, dataEnd, unknownSize }
}

/** The children of a known-size element (or of the whole buffer). */
export function children(buf: Buffer, start: number, end: number): EbmlElement[] {
  const out: EbmlElement[] = []
  let pos = start
  while (pos < end) {
    const el = readElement(buf, pos, end)
    if (el.unknownSize) throw new EbmlError('unknown size where it is not allowed')
    out.push(el)
    pos = el.dataEnd
  }
  return out
}

export const readUint = (buf: Buffer, el: EbmlElement): number => {
  const len = el.dataEnd - el.dataStart
  if (len > 7) throw new EbmlError('integer too large')
  let v = 0
  for (let i = el.dataStart; i < el.dataEnd; i++) v = v * 256 + buf[i]!
  return v
}

export const readFloat = (buf: Buffer, el: EbmlElement): number => {
  const len = el.dataEnd - el.dataStart
  if (len === 0) return 0
  if (len === 4) return buf.readFloatBE(el.dataStart)
  if (len === 8) return buf.readDoubleBE(el.dataStart)
  throw new EbmlError('invalid float')
}

export const readString = (buf: Buffer, el: EbmlElement): string =>
  buf.subarray(el.dataStart, el.dataEnd).toString('latin1').replace(/\0+$/, '')

// Writing ------------------------------------------------------------------------------------------

function encodeId(id: number): Buffer {
  const bytes: number[] = []
  for (let v = id; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return Buffer.from(bytes)
}

function encodeSize(size: number): Buffer {
  for (let len = 1; len <= 8; len++) {
    // 2^(7·len) − 1 is reserved for "unknown": stay below it.
    if (size < 2 ** (7 * len) - 1) {
      const out = Buffer.alloc(len)
      let v = size
      for (let i = len - 1; i >= 0; i--) {
        out[i] = v % 256
        v = Math.floor(v / 256)
      }
      out[0]! |= 0x80 >> (len - 1)
      return out
    }
  }
  throw new EbmlError('element too large')
}

export const element = (id: number, ...data: Buffer[]): Buffer => {
  const body = Buffer.concat(data)
  return Buffer.concat([encodeId(id), encodeSize(body.length), body])
}

export const uintElement = (id: number, value: number): Buffer => {
  const bytes: number[] = []
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return element(id, Buffer.from(bytes.length ? bytes : [0]))
}

export const floatElement = (id: number, value: number): Buffer => {
  const b = Buffer.alloc(8)
  b.writeDoubleBE(value)
  return element(id, b)
}

export const stringElement = (id: number, value: string): Buffer => element(id, Buffer.from(value, 'latin1'))
