import { describe, expect, it } from 'vitest'
import { DEVICE_STRING, GPS_STRING, mp4WithMetadata } from '../test/mp4-fixture'
import { oggOpusWithMetadata } from '../test/ogg-fixture'
import { webmWithMetadata } from '../test/webm-fixture'
import { MediaContainerError } from './media-container-error'
import { checkMedia, stripMediaMetadata } from './media-metadata'

describe('stripMediaMetadata: one entry for every container a clip or a voice message comes in', () => {
  it('cleans MP4, WebM and Ogg Opus buffers in place and says which tracks they hold', async () => {
    const files = {
      mp4: [mp4WithMetadata({ size: 20_000 }), { hasVideo: true }],
      webm: [webmWithMetadata({ audioOnly: true, unknownSizes: true }), { hasVideo: false, hasAudio: true }],
      ogg: [oggOpusWithMetadata(), { hasVideo: false, hasAudio: true }],
    } as const
    for (const [kind, [original, tracks]] of Object.entries(files)) {
      const bytes = Buffer.from(original)
      expect(await stripMediaMetadata(kind as keyof typeof files, bytes), kind).toMatchObject(tracks)
      expect(bytes.length, kind).toBe(original.length)
      expect(bytes.includes(GPS_STRING), `${kind}: GPS`).toBe(false)
      expect(bytes.includes(DEVICE_STRING), `${kind}: device`).toBe(false)
      expect(await checkMedia(kind as keyof typeof files, bytes), kind).toMatchObject(tracks)
    }
  })

  it('refuses bytes of another container with a MediaContainerError (a 415 for the routes)', async () => {
    const webm = webmWithMetadata()
    for (const kind of ['mp4', 'ogg'] as const)
      await expect(stripMediaMetadata(kind, Buffer.from(webm))).rejects.toBeInstanceOf(MediaContainerError)
    await expect(stripMediaMetadata('webm', oggOpusWithMetadata())).rejects.toBeInstanceOf(
      MediaContainerError,
    )
  })
})
