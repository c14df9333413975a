import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { AppError, conflict, notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { imageKinds, sniffContent } from '../../storage/content-sniffer'
import type { FileStorage } from '../../storage/file-storage'
import { renderSquarePhoto } from '../../storage/photo'
import { type AuditContext, audit } from '../audit/audit.service'
import { directoryGrantOf, officerPhotosPolicy } from './officer-photos.policy'
import { officerPhotoPath } from './officer-photos.presenter'
import { officerPhotosRepository as repo } from './officer-photos.repository'

export const OFFICER_PHOTO_MAX_BYTES = 15 * 1024 * 1024
/** Square, big enough for the printed poster (a 64 pt circle at 300 dpi is 267 px). */
const PORTRAIT_PX = 512

interface Deps {
  db: Db
  storage: FileStorage
}

const unsupported = () =>
  new AppError('unsupported_media_type', 'officer_photo.unsupported', {
    fields: [{ field: 'file', code: 'unsupported', messageKey: 'officer_photo.unsupported' }],
  })

/** Checked by its first bytes, never its name; re-encoded square with no EXIF or GPS left. */
export async function renderOfficerPhoto(input: Buffer): Promise<Buffer> {
  const kind = sniffContent(input.subarray(0, 64))
  if (!kind || !imageKinds.includes(kind)) throw unsupported()
  try {
    return await renderSquarePhoto(input, PORTRAIT_PX)
  } catch {
    throw unsupported()
  }
}

export const officerPhotosService = {
  async mine(db: Db, actor: Actor) {
    const [published, latest] = await Promise.all([
      repo.publishedOf(db, actor.userId),
      repo.latestOf(db, actor.userId),
    ])
    return { canSubmit: officerPhotosPolicy.can(actor, 'submit'), published, latest }
  },

  /** A new photo waits for a commander; the published one (if any) stays until then. */
  async submit(deps: Deps, actor: Actor, data: Buffer, ctx: AuditContext) {
    officerPhotosPolicy.authorize(actor, 'submit')
    const grant = directoryGrantOf(actor)!
    const jpeg = await renderOfficerPhoto(data)
    const id = randomUUID()
    const stored = await deps.storage.put(`officer-photos/${actor.userId}/${id}.jpg`, jpeg)
    return deps.db.transaction(async (tx) => {
      const withdrawn = await repo.withdrawPending(tx, actor.userId)
      const row = await repo.insert(tx, {
        id,
        userId: actor.userId,
        unitId: grant.unitId!,
        unitPath: grant.unitPath!,
        storageKey: stored.key,
        size: stored.size,
        sha256: stored.sha256,
      })
      await audit.record(tx, ctx, {
        action: 'officer_photo.submit',
        entityType: 'officer_photo',
        entityId: id,
        unitId: grant.unitId,
        unitPath: grant.unitPath,
        details: { userId: actor.userId, withdrawn: withdrawn.map((w) => w.id) },
      })
      return row
    })
  },

  listToDecide: (db: Db, actor: Actor) => repo.listToDecide(db, scopeOf(actor)),

  async decide(
    db: Db,
    actor: Actor,
    id: string,
    decision: { approve: true } | { approve: false; reason: string },
    ctx: AuditContext,
  ) {
    const photo = await repo.byId(db, id)
    // Someone who may not decide learns nothing about the photo.
    if (!photo || !officerPhotosPolicy.can(actor, 'readImage', photo)) throw notFound()
    // Another commander decided first (or the officer sent a newer one): say so, change nothing.
    if (
      photo.state !== 'pending' &&
      officerPhotosPolicy.can(actor, 'approve', { ...photo, state: 'pending' })
    )
      throw conflict('officer_photo.already_decided')
    officerPhotosPolicy.authorize(actor, decision.approve ? 'approve' : 'refuse', photo)
    return db.transaction(async (tx) => {
      if (decision.approve) await repo.replacePublished(tx, photo.userId)
      const decided = await repo.decide(tx, id, {
        state: decision.approve ? 'approved' : 'refused',
        decidedBy: actor.userId,
        refusalReason: decision.approve ? null : decision.reason,
      })
      if (!decided) throw conflict('officer_photo.already_decided')
      // Every page that shows the officer reads users.photo_url: the area page, the poster, the chat.
      if (decision.approve) await repo.setUserPhotoUrl(tx, photo.userId, officerPhotoPath(id))
      await audit.record(tx, ctx, {
        action: decision.approve ? 'officer_photo.approve' : 'officer_photo.refuse',
        entityType: 'officer_photo',
        entityId: id,
        unitId: photo.unitId,
        unitPath: photo.unitPath,
        reason: decision.approve ? null : decision.reason,
        details: { userId: photo.userId },
      })
      return decided
    })
  },

  /** The image bytes for whoever may see it; 404 for anyone else. */
  async open(deps: Deps, actor: Actor | null, id: string) {
    const photo = await repo.byId(deps.db, id)
    if (!photo || !officerPhotosPolicy.can(actor, 'readImage', photo)) throw notFound()
    return { photo, stream: await deps.storage.get(photo.storageKey) }
  },

  /** The approved photo's bytes, for the printed poster; null when there is none. */
  async publishedBytes(deps: Deps, userId: string): Promise<Buffer | null> {
    const photo = await repo.publishedOf(deps.db, userId)
    if (!photo) return null
    const chunks: Buffer[] = []
    for await (const chunk of await deps.storage.get(photo.storageKey)) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks)
  },
}
