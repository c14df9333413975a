import { describe, expect, it } from 'vitest'
import { DEVICE_STRING, GPS_STRING, oggOpusWithMetadata, oggStream, VENDOR_STRING } from '../test/ogg-fixture'
import { checkOgg, OggError, stripOggMetadata } from './ogg'
import { oggCrc } from './ogg-page'

/** Every page of the file: where it starts, and whether its CRC is right. */
function pages(b: Buffer) {
  const out: { start: number; end: number; crcOk: boolean }[] = []
  for (let at = 0; at < b.length; ) {
    const count = b[at + 26]!
    let length = 0
    for (let i = 0; i < count; i++) length += b[at + 27 + i]!
    const end = at + 27 + count + length
    out.push({ start: at, end, crcOk: b.readUInt32LE(at + 22) === oggCrc(b.subarray(at, end)) })
    at = end
  }
  return out
}

describe('Ogg metadata (Opus comment header)', () => {
  it('computes the Ogg CRC (CRC-32, polynomial 04c11db7, no reflection, initial 0)', () => {
    // CRC-32/POSIX checks "123456789" as 765e7680 after its final xor; Ogg has no final xor.
    expect(oggCrc(Buffer.from('123456789'))).toBe((0x765e7680 ^ 0xffffffff) >>> 0)
  })

  it('empties the vendor and every tag (GPS, device, date), pages and audio unchanged, CRCs right', async () => {
    const original = oggOpusWithMetadata()
    expect(original.includes(GPS_STRING) && original.includes(VENDOR_STRING)).toBe(true)
    const bytes = Buffer.from(original)
    const result = await stripOggMetadata(bytes)
    expect(result).toMatchObject({ codecs: ['opus'], removed: 1 })
    for (const s of [GPS_STRING, DEVICE_STRING, VENDOR_STRING, 'LOCATION', 'DATE='])
      expect(bytes.includes(s), s).toBe(false)
    expect(bytes.length).toBe(original.length)
    const before = pages(original)
    const after = pages(bytes)
    expect(after.map((p) => [p.start, p.end])).toEqual(before.map((p) => [p.start, p.end]))
    expect(after.every((p) => p.crcOk)).toBe(true)
    // The audio pages (after the two header pages) are byte for byte the same.
    expect(bytes.subarray(before[2]!.start)).toEqual(original.subarray(before[2]!.start))
    // An empty OpusTags: magic, vendor length 0, no comments, zero padding.
    const tags = bytes.subarray(before[1]!.start + 27 + bytes[before[1]!.start + 26]!)
    expect(tags.subarray(0, 16)).toEqual(Buffer.concat([Buffer.from('OpusTags'), Buffer.alloc(8)]))
    expect(await checkOgg(bytes)).toEqual({ codecs: ['opus'] })
  })

  it('empties a comment header spanning several pages (a 70 kB cover picture)', async () => {
    const original = oggOpusWithMetadata({ cover: true })
    const [, tagsStart, tagsMore] = pages(original)
    expect(original[tagsMore!.start + 5]! & 0x01, 'the tags continue on a second page').toBe(1)
    expect(original.subarray(tagsStart!.start, tagsMore!.end).includes(GPS_STRING)).toBe(true)
    const bytes = Buffer.from(original)
    await stripOggMetadata(bytes)
    expect(bytes.includes('QQQQQQQQ')).toBe(false)
    expect(bytes.includes(GPS_STRING)).toBe(false)
    expect(pages(bytes).every((p) => p.crcOk)).toBe(true)
  })

  it('refuses what is not an Ogg Opus or Vorbis file, before writing a byte', async () => {
    const good = oggOpusWithMetadata()
    const badCrc = Buffer.from(good)
    badCrc[40] = badCrc[40]! ^ 0xff
    const theora = oggStream(7, [
      Buffer.from('\x80theora and more bytes', 'latin1'),
      Buffer.alloc(20),
      Buffer.alloc(9),
    ])
    const cases: Record<string, [Buffer, string]> = {
      'not Ogg': [Buffer.from('ID3\x04 an mp3', 'latin1'), 'not_ogg'],
      'a header page with a wrong CRC': [badCrc, 'broken_pages'],
      'an unknown codec': [theora, 'unknown_codec'],
      truncated: [good.subarray(0, good.length - 10), 'broken_pages'],
      'trailing junk': [Buffer.concat([good, Buffer.from('<script>')]), 'broken_pages'],
      'headers only': [oggOpusWithMetadata({ packets: 0 }), 'no_media'],
    }
    for (const [name, [bytes, problem]] of Object.entries(cases)) {
      const copy = Buffer.from(bytes)
      const err = await stripOggMetadata(copy).catch((e: unknown) => e)
      expect(err, name).toBeInstanceOf(OggError)
      expect((err as OggError).problem, name).toBe(problem)
      expect(copy.equals(bytes), `${name}: unchanged`).toBe(true)
    }
  })
})
