import sharp from 'sharp'
import { mp4WithMetadata } from '../../server/test/mp4-fixture'

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

/** A real-shaped MP4 (ftyp, moov with a video track, mdat): the server checks the box structure. */
export function cameraClip(): { name: string; mimeType: string; buffer: Buffer } {
  return {
    name: 'camera-ngo-12.mp4',
    mimeType: 'video/mp4',
    buffer: mp4WithMetadata({ size: 2100, metadata: false }),
  }
}
