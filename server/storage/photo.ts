// sharp (libvips) is imported on the first photo, not at start: with the other packages only some
// routes need, it cost up to a second of every restart on 2 cores (issue 16: reconnect storms).
export interface RenderedPhoto {
  display: Buffer
  width: number
  height: number
  thumb: Buffer
}

/**
 * Re-encodes a photo as JPEG at two sizes. rotate() applies the EXIF orientation; sharp then writes
 * no metadata at all, so GPS position, camera and owner never leave the station. Throws when the
 * bytes are not an image this server's image library can read.
 */
export async function renderPhoto(
  input: Buffer,
  sizes: { displayPx: number; thumbPx: number },
): Promise<RenderedPhoto> {
  const { default: sharp } = await import('sharp')
  const base = sharp(input, { failOn: 'error' }).rotate()
  const within = (px: number) => ({ width: px, height: px, fit: 'inside' as const, withoutEnlargement: true })
  const display = await base
    .clone()
    .resize(within(sizes.displayPx))
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 82, mozjpeg: true })
    .toBuffer({ resolveWithObject: true })
  const thumb = await base
    .clone()
    .resize(within(sizes.thumbPx))
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 70 })
    .toBuffer()
  return { display: display.data, width: display.info.width, height: display.info.height, thumb }
}

/**
 * A portrait: the photo cropped to a square around what draws the eye (a face, usually) and
 * re-encoded as JPEG without any metadata, like `renderPhoto`. Throws on bytes sharp cannot read.
 */
export async function renderSquarePhoto(input: Buffer, px: number): Promise<Buffer> {
  const { default: sharp } = await import('sharp')
  return sharp(input, { failOn: 'error', limitInputPixels: 80_000_000 })
    .rotate()
    .resize({ width: px, height: px, fit: 'cover', position: 'attention' })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 84, mozjpeg: true })
    .toBuffer()
}
