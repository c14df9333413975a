/**
 * A real-shaped MP4, built like the security review's `gps.mp4` generator (F4) but with the boxes a
 * phone writes: ftyp, moov (mvhd, a video trak with tkhd and mdia/mdhd/hdlr 'vide'/minf/stbl/stco,
 * udta with ©xyz, ©mak and ©mod, an Apple-style meta with the ISO 6709 location) and mdat.
 */
export const GPS_STRING = '+21.0123+105.8456/'
export const DEVICE_STRING = 'iPhone 15 Pro of Nguyen Van A'

const box = (type: string, ...parts: Buffer[]) => {
  const payload = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(8 + payload.length, 0)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, payload])
}
const u32 = (...ns: number[]) =>
  Buffer.concat(ns.map((n) => Buffer.from([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])))
const text = (type: string, value: string) => {
  const b = Buffer.from(value, 'utf8')
  const head = Buffer.alloc(4)
  head.writeUInt16BE(b.length, 0)
  head.writeUInt16BE(0x15c7, 2)
  return box(type, head, b)
}
/** 2026-11-30 08:00:00 UTC in seconds since 1904 (the MP4 epoch). */
const SHOT_AT = 2082844800 + 1796025600

export function mp4WithMetadata(opts: { size?: number; brand?: string; metadata?: boolean } = {}): Buffer {
  const metadata = opts.metadata ?? true
  const ftyp = box(
    'ftyp',
    Buffer.from(opts.brand ?? 'isom', 'latin1'),
    u32(512),
    Buffer.from('isomiso2avc1mp41', 'latin1'),
  )
  const mvhd = box('mvhd', u32(0, SHOT_AT, SHOT_AT, 600, 600, 0x00010000), Buffer.alloc(76))
  const tkhd = box('tkhd', u32(3, SHOT_AT, SHOT_AT, 1, 0, 600), Buffer.alloc(60))
  const mdhd = box('mdhd', u32(0, SHOT_AT, SHOT_AT, 600, 600), Buffer.from([0x55, 0xc4, 0, 0]))
  const hdlr = box(
    'hdlr',
    u32(0, 0),
    Buffer.from('vide', 'latin1'),
    Buffer.alloc(12),
    Buffer.from('VideoHandler\0'),
  )
  const build = (mdatOffset: number) => {
    const stbl = box(
      'stbl',
      box('stsd', u32(0, 0)),
      box('stts', u32(0, 1, 1, 600)),
      box('stsc', u32(0, 1, 1, 1, 1)),
      box('stsz', u32(0, 0, 1, 64)),
      box('stco', u32(0, 1, mdatOffset + 8)),
    )
    const minf = box(
      'minf',
      box('vmhd', u32(1, 0, 0)),
      box('dinf', box('dref', u32(0, 1), box('url ', u32(1)))),
      stbl,
    )
    const trak = box(
      'trak',
      tkhd,
      box('mdia', mdhd, hdlr, minf),
      ...(metadata ? [box('udta', text('\xa9mod', DEVICE_STRING))] : []),
    )
    const udta = box(
      'udta',
      text('\xa9xyz', GPS_STRING),
      text('\xa9mak', 'Apple'),
      text('\xa9mod', DEVICE_STRING),
    )
    const meta = box(
      'meta',
      u32(0),
      box('hdlr', u32(0, 0), Buffer.from('mdta', 'latin1'), Buffer.alloc(12), Buffer.from('\0')),
      box('keys', u32(0, 1), box('mdta', Buffer.from('com.apple.quicktime.location.ISO6709', 'latin1'))),
      box(
        'ilst',
        box('\0\0\0\x01', box('data', u32(1, 0), Buffer.from(`${GPS_STRING.slice(0, -1)}+012.000/`))),
      ),
    )
    return Buffer.concat([ftyp, box('moov', mvhd, trak, ...(metadata ? [udta, meta] : []))])
  }
  const head = build(build(0).length)
  const filler = Buffer.alloc(Math.max(64, (opts.size ?? 4096) - head.length - 8))
  for (let i = 0; i < filler.length; i++) filler[i] = (i * 31) & 0xff
  return Buffer.concat([head, box('mdat', filler)])
}
