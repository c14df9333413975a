import { createHash, randomUUID } from 'node:crypto'
import type { Actor } from '../../lib/actor'
import { AppError, notFound } from '../../lib/errors'
import { imageKinds, sniffContent } from '../../storage/content-sniffer'
import { renderPhoto } from '../../storage/photo'
import { type AuditContext, audit } from '../audit/audit.service'
import { alertsPolicy } from './alerts.policy'
import { alertPaths } from './alerts.presenter'
import { alertsRepository } from './alerts.repository'
import { type AlertsDeps, loadForActor } from './alerts.service'

export const ALERT_PHOTO_MAX_BYTES = 15 * 1024 * 1024
const DISPLAY_PX = 1280
const THUMB_PX = 480
const MAX_PHOTOS = 6

const unsupported = () =>
  new AppError('unsupported_media_type', 'alerts.photo_unsupported', {
    fields: [{ field: 'file', code: 'unsupported', messageKey: 'alerts.photo_unsupported' }],
  })

/**
 * Re-encodes a photo: rotate() applies the EXIF orientation, then sharp writes no metadata at all,
 * so GPS position, camera and owner never leave the station. A small thumbnail for cheap phones.
 */
export async function renderAlertPhoto(input: Buffer) {
  const kind = sniffContent(input.subarray(0, 64))
  if (!kind || !imageKinds.includes(kind)) throw unsupported()
  try {
    return await renderPhoto(input, { displayPx: DISPLAY_PX, thumbPx: THUMB_PX })
  } catch {
    throw unsupported()
  }
}

export const alertPhotosService = {
  async add(
    deps: AlertsDeps,
    actor: Actor,
    id: string,
    data: Buffer,
    description: string,
    ctx: AuditContext,
  ) {
    const { loaded, resource } = await loadForActor(deps.db, actor, id)
    alertsPolicy.authorize(actor, 'addPhoto', resource)
    if (loaded.photos.length >= MAX_PHOTOS)
      throw new AppError('conflict', 'alerts.photo_limit', { vars: { max: MAX_PHOTOS } })
    const rendered = await renderAlertPhoto(data)
    const photoId = randomUUID()
    const stored = await deps.storage.put(`alerts/${id}/${photoId}.jpg`, rendered.display)
    const thumb = await deps.storage.put(`alerts/${id}/${photoId}-thumb.jpg`, rendered.thumb)
    const row = await deps.db.transaction(async (tx) => {
      const r = await alertsRepository.insertPhoto(tx, {
        id: photoId,
        alertId: id,
        storageKey: stored.key,
        thumbKey: thumb.key,
        mime: 'image/jpeg',
        size: stored.size,
        sha256: stored.sha256 || createHash('sha256').update(rendered.display).digest('hex'),
        width: rendered.width,
        height: rendered.height,
        description,
        createdBy: actor.userId,
      })
      await audit.record(tx, ctx, {
        action: 'alert.photo_add',
        entityType: 'alert',
        entityId: id,
        unitId: loaded.alert.issuingUnitId,
        unitPath: loaded.alert.issuingUnitPath,
        details: { photoId },
      })
      return r
    })
    return {
      id: row.id,
      url: alertPaths.photo(id, row.id),
      thumbUrl: alertPaths.photo(id, row.id, 'thumb'),
      width: row.width,
      height: row.height,
      description: row.description,
    }
  },

  /** The bytes of a photo for whoever may read the alert (anyone, for a published public alert). */
  async open(
    deps: AlertsDeps,
    actor: Actor | null,
    id: string,
    photoId: string,
    variant: 'display' | 'thumb',
  ) {
    await loadForActor(deps.db, actor, id)
    const photo = await alertsRepository.photo(deps.db, id, photoId)
    if (!photo) throw notFound('alerts.photo_not_found')
    return deps.storage.get(variant === 'thumb' ? photo.thumbKey : photo.storageKey)
  },
}
