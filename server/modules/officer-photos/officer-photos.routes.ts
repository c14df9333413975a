import {
  ZMyOfficerPhoto,
  ZOfficerPhoto,
  ZPendingOfficerPhotoList,
  ZRefuseOfficerPhoto,
} from '@common/schemas/officer-photos'
import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../lib/errors'
import { auditContext } from '../audit/audit.service'
import { optionalActor, requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { officerPhotosPolicy } from './officer-photos.policy'
import { presentOfficerPhoto, presentPendingOfficerPhoto } from './officer-photos.presenter'
import { OFFICER_PHOTO_MAX_BYTES, officerPhotosService } from './officer-photos.service'

const tags = ['officer-photos']
const ZIdParams = z.object({ id: z.uuid() })
const noStore = { 'cache-control': 'no-store' }

/**
 * The officer's photo (issue 19, point 7): sent by the officer from their account page, public on
 * the area page and the poster once a commander of their unit or above approved it.
 */
export const officerPhotosRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps = { db: app.db, storage: app.deps.storage }
  if (!app.hasRequestDecorator('file'))
    await app.register(fastifyMultipart, {
      limits: { fileSize: OFFICER_PHOTO_MAX_BYTES, files: 1, fields: 2 },
    })

  app.get(
    '/api/me/photo',
    {
      schema: {
        tags,
        summary: 'My photo: the one residents see, and the latest one sent',
        response: { 200: ZMyOfficerPhoto },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const { canSubmit, published, latest } = await officerPhotosService.mine(app.db, actor)
      return reply.headers(noStore).send({
        canSubmit,
        published: published ? presentOfficerPhoto(published) : null,
        latest: latest && latest.id !== published?.id ? presentOfficerPhoto(latest) : null,
      })
    },
  )

  app.post(
    '/api/me/photo',
    {
      schema: {
        tags,
        summary: 'Send my photo (multipart field "file"); it waits for a commander, EXIF is removed',
        consumes: ['multipart/form-data'],
        response: { 201: ZOfficerPhoto },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      officerPhotosPolicy.authorize(actor, 'submit')
      const part = request.isMultipart() ? await request.file() : undefined
      if (!part)
        throw new AppError('validation', undefined, {
          fields: [{ field: 'file', code: 'required', messageKey: 'officer_photo.missing' }],
        })
      let data: Buffer
      try {
        data = await part.toBuffer()
      } catch {
        throw new AppError('payload_too_large', 'officer_photo.too_large', {
          vars: { mb: OFFICER_PHOTO_MAX_BYTES / 1024 / 1024 },
        })
      }
      const row = await officerPhotosService.submit(deps, actor, data, auditContext(request))
      return reply.status(201).send(presentOfficerPhoto(row))
    },
  )

  app.get(
    '/api/staff/officer-photos/pending',
    {
      schema: {
        tags,
        summary: 'Photos of officers of my units waiting for my decision',
        response: { 200: ZPendingOfficerPhotoList },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      officerPhotosPolicy.authorize(actor, 'listToDecide')
      const rows = await officerPhotosService.listToDecide(app.db, actor)
      return reply.headers(noStore).send({ items: rows.map(presentPendingOfficerPhoto) })
    },
  )

  app.post(
    '/api/staff/officer-photos/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve: residents see this photo from now on',
        params: ZIdParams,
        response: { 200: ZOfficerPhoto },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const row = await officerPhotosService.decide(
        app.db,
        actor,
        request.params.id,
        { approve: true },
        auditContext(request),
      )
      return presentOfficerPhoto(row)
    },
  )

  app.post(
    '/api/staff/officer-photos/:id/refuse',
    {
      schema: {
        tags,
        summary: 'Refuse, with the reason the officer will read',
        params: ZIdParams,
        body: ZRefuseOfficerPhoto,
        response: { 200: ZOfficerPhoto },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const row = await officerPhotosService.decide(
        app.db,
        actor,
        request.params.id,
        { approve: false, reason: request.body.reason },
        auditContext(request),
      )
      return presentOfficerPhoto(row)
    },
  )

  app.get(
    '/api/officer-photos/:id',
    { schema: { ...publicOperation, tags, summary: 'The image (public once approved)', params: ZIdParams } },
    async (request, reply) => {
      const { photo, stream } = await officerPhotosService.open(
        deps,
        optionalActor(request),
        request.params.id,
      )
      // An approved photo never changes under its address; a pending one is not for shared caches.
      const cache = photo.state === 'approved' ? 'public, max-age=86400' : 'private, no-store'
      return reply.type('image/jpeg').header('cache-control', cache).send(stream)
    },
  )
}
