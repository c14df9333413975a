import { randomUUID } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Config } from '../../config'
import type { Db, DbOrTx } from '../../db/client'
import type { messageFiles } from '../../db/schema/index'
import type { Actor } from '../../lib/actor'
import { AppError } from '../../lib/errors'
import { sniffContent } from '../../storage/content-sniffer'
import type { FileStorage } from '../../storage/file-storage'
import { renderPhoto } from '../../storage/photo'
import { looksLikeAudio, readVoiceNote, VOICE_MAX_BYTES, VoiceNoteError } from '../../storage/voice-note'
import { conversationRepository, type LoadedConversation } from './conversation.repository'
import { fileRepository, type MessageFileRow } from './file.repository'
import { assertRoomForFile, assertRoomForOutsidePhoto } from './file-quota'
import { messagingPolicy } from './messaging.policy'

export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024
const DISPLAY_MAX_PX = 1600
const THUMB_PX = 320

const unsupported = (key: string) =>
  new AppError('unsupported_media_type', key, {
    fields: [{ field: 'file', code: 'unsupported', messageKey: key }],
  })

/** Each refusal of a voice message says what to do next, in the user's language. */
function voiceRefusal(err: VoiceNoteError): AppError {
  if (err.problem === 'too_large')
    return new AppError('payload_too_large', 'messaging.voice_too_large', {
      vars: { mb: VOICE_MAX_BYTES / 1024 / 1024 },
      fields: [{ field: 'file', code: 'too_large', messageKey: 'messaging.voice_too_large' }],
    })
  const key = `messaging.voice_${err.problem}`
  const vars = { seconds: Math.round((err.durationMs ?? 0) / 1000) }
  return new AppError('unsupported_media_type', key, {
    vars,
    fields: [{ field: 'file', code: err.problem, messageKey: key }],
  })
}

const safeName = (name: string) =>
  name
    .replace(/[\\/\0<>:"|?*]/g, '_')
    .trim()
    .slice(0, 120) || 'tep'

/** A checked file ready to keep: its bytes (and thumbnail), and the record that will describe it. */
interface PreparedFile {
  data: Buffer
  extension: string
  thumb?: Buffer
  row: Omit<typeof messageFiles.$inferInsert, 'id' | 'conversationId' | 'uploaderId' | 'size' | 'storageKey'>
}

type FileDeps = { db: Db; storage: FileStorage; config: Config }

export const fileService = {
  /**
   * Accepts a photo (JPEG, PNG, WebP, or HEIC when this server's image library can read it), a PDF
   * or a voice message (Opus in WebM or Ogg, at most two minutes), judged by its bytes. Photos are
   * re-encoded without metadata, at most 1600 px, with a 320 px thumbnail; voice messages are
   * measured and rewritten without metadata. Past the sender's or the unit's storage quota it is
   * refused and nothing is kept.
   */
  async upload(
    deps: FileDeps,
    actor: Actor,
    loaded: LoadedConversation,
    file: { filename: string; data: Buffer },
  ): Promise<MessageFileRow> {
    messagingPolicy.authorize(actor, 'post', loaded.resource)
    const owner = { conversationId: loaded.conversation.id, uploaderId: actor.userId }
    return keepFile(deps, owner, await prepareFile(file), (tx, bytes) =>
      assertRoomForFile(tx, deps.config, actor, loaded, bytes),
    )
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

async function prepareFile(file: { filename: string; data: Buffer }): Promise<PreparedFile> {
  const kind = sniffContent(file.data.subarray(0, 64))
  if (kind === 'pdf') {
    if (file.data.length > MAX_UPLOAD_BYTES)
      throw new AppError('payload_too_large', 'messaging.file_too_large', {
        vars: { mb: MAX_UPLOAD_BYTES / 1024 / 1024 },
      })
    return {
      data: file.data,
      extension: 'pdf',
      row: { kind: 'file', mime: 'application/pdf', name: safeName(file.filename) },
    }
  }
  if (looksLikeAudio(file.data.subarray(0, 64))) return prepareVoice(file.data)
  if (kind !== 'jpeg' && kind !== 'png' && kind !== 'webp' && kind !== 'heic')
    throw unsupported('messaging.file_type')
  let photo: Awaited<ReturnType<typeof renderPhoto>>
  try {
    photo = await renderPhoto(file.data, { displayPx: DISPLAY_MAX_PX, thumbPx: THUMB_PX })
  } catch {
    throw unsupported(kind === 'heic' ? 'messaging.heic_unsupported' : 'messaging.image_unreadable')
  }
  return {
    data: photo.display,
    extension: 'jpg',
    thumb: photo.thumb,
    row: {
      kind: 'photo',
      mime: 'image/jpeg',
      name: `${safeName(file.filename).replace(/\.[^.]*$/, '')}.jpg`,
      width: photo.width,
      height: photo.height,
    },
  }
}

function prepareVoice(data: Buffer): PreparedFile {
  let note: ReturnType<typeof readVoiceNote>
  try {
    note = readVoiceNote(data)
  } catch (err) {
    if (err instanceof VoiceNoteError) throw voiceRefusal(err)
    throw err
  }
  return {
    data: note.data,
    extension: note.extension,
    row: {
      kind: 'voice',
      mime: note.mime,
      // The recorder's file name can carry a date or a device: a neutral name instead.
      name: `tin-nhan-thoai.${note.extension}`,
      durationMs: note.durationMs,
    },
  }
}

/**
 * Checks there is room for it (`assertRoom`: the quotas of an upload or of an outside photo),
 * stores the bytes and records the file in one transaction; a refusal or a failure on the way
 * deletes whatever bytes were written, so nothing is half kept.
 */
async function keepFile(
  deps: { db: Db; storage: FileStorage },
  owner: { conversationId: string; uploaderId: string },
  file: PreparedFile,
  assertRoom: (tx: DbOrTx, bytes: number) => Promise<void>,
): Promise<MessageFileRow> {
  const id = randomUUID()
  const month = new Date().toISOString().slice(0, 7).replace('-', '/')
  const prefix = `messages/${month}/${id}`
  const written: string[] = []
  try {
    return await deps.db.transaction(async (tx) => {
      await assertRoom(tx, file.data.length)
      const stored = await deps.storage.put(`${prefix}.${file.extension}`, file.data)
      written.push(stored.key)
      const thumb = file.thumb ? await deps.storage.put(`${prefix}.thumb.jpg`, file.thumb) : null
      if (thumb) written.push(thumb.key)
      return fileRepository.insert(tx, {
        ...file.row,
        id,
        ...owner,
        size: stored.size,
        storageKey: stored.key,
        thumbKey: thumb?.key ?? null,
      })
    })
  } catch (err) {
    for (const key of written) await deps.storage.delete(key).catch(() => undefined)
    throw err
  }
}

/**
 * A photo from outside the app (a resident's image on Zalo or Messenger), checked and re-encoded by
 * the same code as an upload (recognised by its bytes, no EXIF or GPS kept). Only photos: anything
 * else is refused as an upload would be. Counted as an upload is (file-quota.ts): past the contact's
 * share or the unit's quota it is refused, and nothing of it is kept.
 */
export async function storeOutsidePhoto(
  deps: { db: Db; storage: FileStorage; config: Config },
  owner: { conversationId: string; uploaderId: string },
  file: { filename: string; data: Buffer },
): Promise<MessageFileRow> {
  const kind = sniffContent(file.data.subarray(0, 64))
  if (kind !== 'jpeg' && kind !== 'png' && kind !== 'webp' && kind !== 'heic')
    throw unsupported('messaging.file_type')
  const prepared = await prepareFile(file)
  return keepFile(deps, owner, prepared, (tx, bytes) =>
    assertRoomForOutsidePhoto(tx, deps.config, owner, bytes),
  )
}
