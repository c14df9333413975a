import type { MessageAttachment } from '../../../db/schema/index'
import { AppError } from '../../../lib/errors'
import type { FileStorage } from '../../../storage/file-storage'
import { conversationRepository } from '../conversation.repository'
import { MAX_UPLOAD_BYTES, storeOutsidePhoto } from '../file.service'
import { messageRepository } from '../message.repository'
import { presentMessage } from '../messaging.presenter'
import { ChannelSendError, type InboundAttachment } from './channel.types'
import type { ChannelDeps } from './channel-outbound.service'

export const IMAGE_QUEUE = 'channels.images'
const DOWNLOAD_TIMEOUT_MS = 20_000

export interface ImageJob {
  messageId: string
}

/** The images of an inbound message still on the platform's CDN. */
type OutsideImage = Extract<InboundAttachment, { url: string | null }> & { url: string }
const isOutsideImage = (a: InboundAttachment): a is OutsideImage => a.type === 'image' && !!a.url
export const outsideImages = (payload: Record<string, unknown> | null): OutsideImage[] =>
  ((payload?.channelAttachments ?? []) as InboundAttachment[]).filter(isOutsideImage)

/**
 * The bytes behind a platform CDN link (the URL came in a webhook whose signature held). At most the
 * upload limit; a network failure or a 5xx is retried by the job queue, anything else is final.
 */
async function download(url: string): Promise<Buffer | null> {
  if (!/^https?:\/\//i.test(url)) return null
  let response: Response
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) })
  } catch (err) {
    throw new ChannelSendError(
      'channels.error.temporary',
      true,
      `image unreachable: ${(err as Error).message}`,
    )
  }
  if (response.status >= 500)
    throw new ChannelSendError('channels.error.temporary', true, `CDN ${response.status}`)
  if (!response.ok || !response.body) return null
  if (Number(response.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) return null
  const chunks: Buffer[] = []
  let size = 0
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_UPLOAD_BYTES) {
      await reader.cancel()
      return null
    }
    chunks.push(Buffer.from(value))
  }
  return Buffer.concat(chunks)
}

const asAttachment = (f: Awaited<ReturnType<typeof storeOutsidePhoto>>): MessageAttachment => ({
  fileId: f.id,
  kind: f.kind,
  mime: f.mime,
  name: f.name,
  size: f.size,
  ...(f.width ? { width: f.width } : {}),
  ...(f.height ? { height: f.height } : {}),
})

/** One downloaded image through the upload's checks; null when they refuse it. */
async function storeChecked(
  deps: {
    db: ChannelDeps['db']
    config: ChannelDeps['config']
    storage?: FileStorage
    log?: ChannelDeps['log']
  },
  message: { id: string; conversationId: string; authorId: string | null },
  index: number,
  data: Buffer,
): Promise<MessageAttachment | null> {
  try {
    const owner = { conversationId: message.conversationId, uploaderId: message.authorId! }
    const file = await storeOutsidePhoto(
      { db: deps.db, storage: deps.storage!, config: deps.config },
      owner,
      {
        filename: `anh-${index + 1}`,
        data,
      },
    )
    return asAttachment(file)
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    deps.log?.warn({ messageId: message.id, err: err.messageKey }, 'inbound image refused')
    return null
  }
}

/**
 * A resident's photo sent on Zalo or Messenger is copied here, never shown from the platform's CDN:
 * downloaded, checked by its bytes and re-encoded without metadata exactly as an upload is, then put
 * on the message (a new stream position: open inboxes see it). A refused image stays as "📷" with no
 * link. Idempotent: a message whose images are already copied has nothing left to do.
 */
export async function copyInboundImages(deps: ChannelDeps & { storage?: FileStorage }, job: ImageJob) {
  const { db, storage } = deps
  const message = await messageRepository.get(db, job.messageId)
  if (!storage || !message?.authorId || message.deletedAt) return
  const images = outsideImages(message.payload)
  if (!images.length) return
  // Every download first: a retry after a network failure stores nothing twice.
  const bytes = await Promise.all(images.map((a) => download(a.url)))
  const copied: MessageAttachment[] = []
  const refused: InboundAttachment[] = []
  for (const [i, data] of bytes.entries()) {
    const stored = data ? await storeChecked(deps, message, i, data) : null
    if (stored) copied.push(stored)
    // No link to the platform is kept: the officer sees that a photo came and could not be taken.
    else refused.push({ ...images[i]!, url: null })
  }
  const others = ((message.payload?.channelAttachments ?? []) as InboundAttachment[]).filter(
    (a) => !isOutsideImage(a),
  )
  const rest = [...others, ...refused]
  const onlyPlaceholders = /^[\s📷]*$/u.test(message.body)
  await db.transaction(async (tx) => {
    await messageRepository.lockStream(tx)
    await messageRepository.change(tx, message.id, {
      attachments: [...message.attachments, ...copied],
      payload: rest.length ? { ...message.payload, channelAttachments: rest } : null,
      ...(copied.length ? { kind: 'photo' as const } : {}),
      ...(copied.length && onlyPlaceholders ? { body: '' } : {}),
    })
  })
  const conversation = await conversationRepository.get(db, message.conversationId)
  const record = await messageRepository.view(db, message.id)
  if (conversation && record)
    await deps.events.message('message.updated', conversation, presentMessage(record, { canModerate: false }))
}
