import sharp from 'sharp'

/** A small JPEG of a "motorbike" (with EXIF that the server must strip), made on the spot. */
export async function motorbikePhoto(): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const drawing = Buffer.from(
    '<svg width="320" height="240"><rect x="60" y="120" width="200" height="60" fill="#222"/><circle cx="90" cy="190" r="30" fill="#111"/><circle cx="230" cy="190" r="30" fill="#111"/></svg>',
  )
  const buffer = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#b22222' } })
    .composite([{ input: drawing, top: 0, left: 0 }])
    .jpeg({ quality: 80 })
    .withExif({ IFD0: { Make: 'DemoPhone', Model: 'E2E' } })
    .toBuffer()
  return { name: 'xe-may.jpg', mimeType: 'image/jpeg', buffer }
}

/** An MP4 as far as content sniffing goes: an ftyp box (isom) and an mdat box of filler. */
export function cameraClip(): { name: string; mimeType: string; buffer: Buffer } {
  const ftyp = Buffer.from([
    0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d,
    0x70, 0x34, 0x31,
  ])
  const body = Buffer.alloc(2000, 0x2a)
  const header = Buffer.alloc(8)
  header.writeUInt32BE(body.length + 8, 0)
  header.write('mdat', 4, 'latin1')
  return { name: 'camera-ngo-12.mp4', mimeType: 'video/mp4', buffer: Buffer.concat([ftyp, header, body]) }
}
