import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError } from '../../lib/errors'
import { sniffContent } from '../../storage/content-sniffer'
import type { FileStorage } from '../../storage/file-storage'
import { renderPhoto } from '../../storage/photo'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { fileRepository, type MessageFileRow } from './file.repository'
import { messagingPolicy } from './messaging.policy'

export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024
const DISPLAY_MAX_PX = 1600
const THUMB_PX = 320

const unsupported = (key: string) =>
  new AppError('unsupported_media_type', key, {
    fields: [{ field: 'file', code: 'unsupported', messageKey: key }],
  })

const safeName = (name: string) =>
  name
    .replace(/[\\/\0<>:"|?*]/g, '_')
    .trim()
    .slice(0, 120) || 'tep'

export const fileService = {
  /**
   * Accepts a photo (JPEG, PNG, WebP, or HEIC when this server's image library can read it) or a PDF,
   * judged by its bytes. Photos are re-encoded without metadata, at most 1600 px, with a 320 px thumbnail.
   */
  async upload(
    deps: { db: Db; storage: FileStorage },
    actor: Actor,
    loaded: LoadedConversation,
    file: { filename: string; data: Buffer },
  ): Promise<MessageFileRow> {
    messagingPolicy.authorize(actor, 'post', loaded.resource)
    const kind = sniffContent(file.data.subarray(0, 64))
    const id = randomUUID()
    const month = new Date().toISOString().slice(0, 7).replace('-', '/')
    const prefix = `messages/${month}/${id}`
    if (kind === 'pdf') {
      const stored = await deps.storage.put(`${prefix}.pdf`, file.data, { maxBytes: MAX_UPLOAD_BYTES })
      return fileRepository.insert(deps.db, {
        id,
        conversationId: loaded.conversation.id,
        uploaderId: actor.userId,
        kind: 'file',
        mime: 'application/pdf',
        name: safeName(file.filename),
        size: stored.size,
        storageKey: stored.key,
      })
    }
    if (kind !== 'jpeg' && kind !== 'png' && kind !== 'webp' && kind !== 'heic')
      throw unsupported('messaging.file_type')
    let photo: Awaited<ReturnType<typeof renderPhoto>>
    try {
      photo = await renderPhoto(file.data, { displayPx: DISPLAY_MAX_PX, thumbPx: THUMB_PX })
    } catch {
      throw unsupported(kind === 'heic' ? 'messaging.heic_unsupported' : 'messaging.image_unreadable')
    }
    const stored = await deps.storage.put(`${prefix}.jpg`, photo.display)
    const thumb = await deps.storage.put(`${prefix}.thumb.jpg`, photo.thumb)
    return fileRepository.insert(deps.db, {
      id,
      conversationId: loaded.conversation.id,
      uploaderId: actor.userId,
      kind: 'photo',
      mime: 'image/jpeg',
      name: `${safeName(file.filename).replace(/\.[^.]*$/, '')}.jpg`,
      size: stored.size,
      width: photo.width,
      height: photo.height,
      storageKey: stored.key,
      thumbKey: thumb.key,
    })
  },

  /** The bytes of a file, for those who may read its conversation (404 to everyone else). */
  async open(
    deps: { db: Db; storage: FileStorage },
    actor: Actor,
    fileId: string,
    variant: 'display' | 'thumb',
  ): Promise<{ file: MessageFileRow; stream: Readable }> {
    const file = await fileRepository.get(deps.db, fileId)
    if (!file) throw new AppError('not_found')
    const loaded = await conversationRepository.load(deps.db, file.conversationId, actor.userId)
    if (!loaded) throw new AppError('not_found')
    messagingPolicy.authorize(actor, 'read', loaded.resource, { hide: true })
    // A deleted or hidden message takes its photos with it, except for those who moderate.
    const withdrawn = await fileRepository.isWithdrawn(deps.db, file.id, file.conversationId)
    if (
      withdrawn &&
      !messagingPolicy.can(actor, 'moderate', loaded.resource) &&
      !messagingPolicy.can(actor, 'work', loaded.resource)
    )
      throw new AppError('not_found')
    const key = variant === 'thumb' && file.thumbKey ? file.thumbKey : file.storageKey
    return { file, stream: await deps.storage.get(key) }
  },
}
