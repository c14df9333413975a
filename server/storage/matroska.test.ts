import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  APP_STRING,
  COVER_STRING,
  DEVICE_STRING,
  ebml,
  ebmlHeader,
  ebmlUnknown,
  GPS_STRING,
  HIDDEN_STRING,
  TITLE_STRING,
  webmWithMetadata,
} from '../test/webm-fixture'
import { checkWebm, MAX_ELEMENTS, stripWebmMetadata, WebmError } from './matroska'
import { fileAccess } from './random-access'

const SECRETS = { GPS_STRING, DEVICE_STRING, TITLE_STRING, APP_STRING, HIDDEN_STRING, COVER_STRING }
const expectClean = (bytes: Buffer) => {
  for (const [name, s] of Object.entries(SECRETS)) expect(bytes.includes(s), name).toBe(false)
  expect(bytes.includes('LOCATION'), 'tag name').toBe(false)
  expect(bytes.includes(Buffer.from('0b1e2d3c4b5a6978', 'hex')), 'DateUTC').toBe(false)
  expect(bytes.includes(Buffer.from('00112233445566778899aabbccddeeff', 'hex')), 'SegmentUID').toBe(false)
}

/** The ID of the element at `at` (1 to 4 bytes, marker included). */
const idAt = (b: Buffer, at: number) => {
  const length = Math.clz32(b[at]!) - 23
  return b.readUIntBE(at, length)
}
/** Every Seek entry of the SeekHead right after the Segment header: [target ID, position]. */
const seeks = (b: Buffer) => {
  const segment = b.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67]))
  const segData = segment + 4 + Math.clz32(b[segment + 4]!) - 23
  const out: [number, number, number][] = []
  for (let at = b.indexOf(Buffer.from([0x4d, 0xbb]), segData); at > 0 && at < segData + 200; ) {
    const idEl = at + 3
    const idLen = b[idEl + 2]! & 0x7f
    const target = b.readUIntBE(idEl + 3, idLen)
    const posEl = idEl + 3 + idLen
    out.push([target, Number(b.readBigUInt64BE(posEl + 3)), segData])
    at = b.indexOf(Buffer.from([0x4d, 0xbb]), posEl + 11)
  }
  return out
}

describe('WebM metadata (Matroska/EBML)', () => {
  it('removes tags (GPS, device), attachments, title, apps, date and IDs; keeps size, media and positions', async () => {
    const original = webmWithMetadata()
    for (const [name, s] of Object.entries(SECRETS)) expect(original.includes(s), name).toBe(true)
    const bytes = Buffer.from(original)
    const before = await checkWebm(bytes)
    expect(before).toMatchObject({ docType: 'webm', hasVideo: true, hasAudio: true })

    const result = await stripWebmMetadata(bytes)
    expectClean(bytes)
    expect(bytes.length).toBe(original.length)
    expect(result.removed).toBeGreaterThanOrEqual(6) // Title, DateUTC, SegmentUID, Name, Tags, Attachments, Seek→Tags
    // The media is untouched: the clusters and cues are byte for byte where they were.
    const firstCluster = original.indexOf(Buffer.from([0x1f, 0x43, 0xb6, 0x75]))
    const cues = original.indexOf(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]))
    expect(bytes.subarray(firstCluster, cues + 40)).toEqual(original.subarray(firstCluster, cues + 40))
    // Still the same file for a player: same tracks, and every Seek entry left points at its element.
    expect(await checkWebm(bytes)).toEqual(before)
    const left = seeks(bytes)
    expect(left.map(([id]) => id.toString(16))).toEqual(['1549a966', '1654ae6b', '1c53bb6b'])
    for (const [id, pos, segData] of left) expect(idAt(bytes, segData + pos)).toBe(id)
    // Stripping again finds nothing more to remove and changes nothing.
    const again = Buffer.from(bytes)
    await stripWebmMetadata(again)
    expect(again).toEqual(bytes)
  })

  it('handles a recorder’s file (Segment and Clusters of unknown size), audio only, through a file handle', async () => {
    const original = webmWithMetadata({ unknownSizes: true, audioOnly: true, clusters: 4 })
    const path = join(mkdtempSync(join(tmpdir(), 'nhipcau-webm-')), 'voice.webm')
    writeFileSync(path, original)
    const fh = await open(path, 'r+')
    try {
      const info = await stripWebmMetadata(fileAccess(fh, original.length))
      expect(info).toMatchObject({
        hasVideo: false,
        hasAudio: true,
        tracks: [{ type: 'audio', codec: 'A_OPUS' }],
      })
    } finally {
      await fh.close()
    }
    const stored = readFileSync(path)
    expectClean(stored)
    expect(stored.length).toBe(original.length)
    expect(await checkWebm(stored)).toMatchObject({ hasAudio: true })
  })

  it('refuses what is not a WebM file, before writing a byte', async () => {
    const good = webmWithMetadata({ metadata: false })
    const segment = good.subarray(ebmlHeader().length)
    const cases: Record<string, [Buffer, string]> = {
      'not EBML': [Buffer.concat([Buffer.from('RIFF'), good]), 'not_ebml'],
      'another doc type': [Buffer.concat([ebmlHeader('evil'), segment]), 'doc_type'],
      'EBML header only': [ebmlHeader(), 'broken_elements'],
      truncated: [good.subarray(0, good.length - 100), 'broken_elements'],
      'trailing junk': [Buffer.concat([good, Buffer.from('<script>alert(1)</script>')]), 'broken_elements'],
      'invalid id byte': [Buffer.concat([good, Buffer.from([0x00, 0x81, 0x00])]), 'broken_elements'],
      'no tracks': [
        Buffer.concat([
          ebmlHeader(),
          ebml(0x18538067, ebml(0x1549a966), ebml(0x1f43b675, ebml(0xe7, Buffer.from([0])))),
        ]),
        'no_tracks',
      ],
      'no clusters': [
        Buffer.concat([
          ebmlHeader(),
          ebml(0x18538067, ebml(0x1549a966), ebml(0x1654ae6b, ebml(0xae, ebml(0x83, Buffer.from([1]))))),
        ]),
        'no_media',
      ],
      'unknown size where it may not be': [
        Buffer.concat([ebmlHeader(), ebml(0x18538067, ebmlUnknown(0x1549a966))]),
        'broken_elements',
      ],
      'a child larger than its parent': [
        Buffer.concat([
          ebmlHeader(),
          ebml(0x18538067, Buffer.from([0x15, 0x49, 0xa9, 0x66, 0x88, 0, 0, 0, 0, 0, 0, 0, 9])),
        ]),
        'broken_elements',
      ],
    }
    for (const [name, [bytes, problem]] of Object.entries(cases)) {
      const copy = Buffer.from(bytes)
      const err = await stripWebmMetadata(copy).catch((e: unknown) => e)
      expect(err, name).toBeInstanceOf(WebmError)
      expect((err as WebmError).problem, name).toBe(problem)
      expect(copy.equals(bytes), `${name}: unchanged`).toBe(true)
    }
  })

  it('stops a flood of tiny elements after MAX_ELEMENTS headers (bounded work on hostile input)', async () => {
    // A recorder-style Cluster of unknown size holding more 2-byte Void elements than the budget.
    const flood = Buffer.alloc((MAX_ELEMENTS + 10) * 2)
    for (let i = 0; i < flood.length; i += 2) {
      flood[i] = 0xec
      flood[i + 1] = 0x80
    }
    const tracks = ebml(0x1654ae6b, ebml(0xae, ebml(0x83, Buffer.from([2]))))
    const bytes = Buffer.concat([
      ebmlHeader(),
      ebmlUnknown(0x18538067, ebml(0x1549a966), tracks, ebmlUnknown(0x1f43b675, flood)),
    ])
    await expect(checkWebm(bytes)).rejects.toMatchObject({ problem: 'too_many_elements' })
  })
})
