import { describe, expect, it } from 'vitest'
import { sniffContent } from './content-sniffer'

const box = (brand: string) =>
  Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`, 'latin1')])

describe('sniffContent', () => {
  it('recognises photos, PDFs and videos by their bytes', () => {
    expect(sniffContent(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('jpeg')
    expect(sniffContent(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png')
    expect(sniffContent(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('webp')
    expect(sniffContent(Buffer.from('%PDF-1.7\n', 'latin1'))).toBe('pdf')
    expect(sniffContent(box('heic'))).toBe('heic')
    expect(sniffContent(box('isom'))).toBe('mp4')
    expect(sniffContent(box('qt  '))).toBe('quicktime')
    expect(sniffContent(box('avif'))).toBeUndefined()
    expect(sniffContent(Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 1]))).toBe('webm')
    expect(sniffContent(Buffer.from('OggS\0\x02', 'latin1'))).toBe('ogg')
    expect(sniffContent(Buffer.from('OggX\0\x02', 'latin1'))).toBeUndefined()
  })

  it('refuses a script renamed to .jpg', () => {
    expect(sniffContent(Buffer.from('<script>alert(1)</script>'))).toBeUndefined()
    expect(sniffContent(Buffer.from('MZ\x90\0', 'latin1'))).toBeUndefined()
  })
})
