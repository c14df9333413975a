import { checkIsoBmff, stripIsoBmff } from './iso-bmff'
import { checkWebm, stripWebmMetadata } from './matroska'
import { checkOgg, stripOggMetadata } from './ogg'
import { bufferAccess, type RandomAccess } from './random-access'

/** Containers whose structure is checked and whose metadata can be removed in place. */
export type MediaContainer = 'mp4' | 'quicktime' | 'webm' | 'ogg'

export interface MediaCheck {
  hasVideo: boolean
  hasAudio: boolean
}

const accessOf = (target: RandomAccess | Buffer) => (Buffer.isBuffer(target) ? bufferAccess(target) : target)

/**
 * Checks that the bytes are a real file of this container (by its structure, never its name) and
 * says which kinds of track it has. Throws a MediaContainerError (route: 415) when it is not.
 * MP4 and QuickTime must hold a video track (ISO-BMFF audio is not accepted).
 */
export async function checkMedia(kind: MediaContainer, target: RandomAccess | Buffer): Promise<MediaCheck> {
  const src = accessOf(target)
  if (kind === 'webm') return checkWebm(src)
  if (kind === 'ogg') {
    await checkOgg(src)
    return { hasVideo: false, hasAudio: true }
  }
  await checkIsoBmff(src)
  return { hasVideo: true, hasAudio: false }
}

/**
 * Checks the file as `checkMedia` does, then removes its metadata in place (place, device, dates,
 * titles, tags, encoder names), keeping its size and media. For a spooled upload pass
 * `fileAccess(fh, size)` (opened `r+`); a Buffer is changed in place. Hash the bytes afterwards.
 */
export async function stripMediaMetadata(
  kind: MediaContainer,
  target: RandomAccess | Buffer,
): Promise<MediaCheck> {
  const src = accessOf(target)
  if (kind === 'webm') return stripWebmMetadata(src)
  if (kind === 'ogg') {
    await stripOggMetadata(src)
    return { hasVideo: false, hasAudio: true }
  }
  await checkIsoBmff(src)
  await stripIsoBmff(src)
  return { hasVideo: true, hasAudio: false }
}
