import {
  FOREIGN_GUEST_PROCEDURE_ID,
  GUEST_FILE_MAX_BYTES,
  GUEST_LIST_MAX_ROWS,
  ZGuestListRequest,
  ZGuestListSubmitted,
  ZGuestUploadFields,
} from '@common/schemas/guest-lists'
import fastifyMultipart from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Actor } from '../../lib/actor'
import { findUnsafeInput } from '../../lib/edge-guard'
import { AppError } from '../../lib/errors'
import { requireActor } from '../auth/auth.guard'
import { readGuestFile } from './guest-file'
import type { GuestListRow } from './guest-lists.repository'
import { fileClientKey, guestListsService } from './guest-lists.service'
import { candidatesOfForm, candidatesOfTable } from './guest-rows'
import { movementsPolicy } from './movements.policy'
import { presentGuestList, presentReport } from './movements.presenter'
import { movementsRepository } from './movements.repository'
import type { MovementsDeps } from './movements.service'

const tags = ['movements']

/** The upload: one file ("file") and two text fields; read whole, it is small by the limit. */
async function readUpload(request: FastifyRequest) {
  if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'movements.file_form_type')
  const fields: Record<string, string> = {}
  let data: Buffer | undefined
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'file' && !data) data = await part.toBuffer()
        else part.file.resume()
      } else if (typeof part.value === 'string') fields[part.fieldname] = part.value
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
      throw new AppError('payload_too_large', 'movements.file_too_large', {
        vars: { mb: GUEST_FILE_MAX_BYTES / 1024 / 1024 },
        fields: [{ field: 'file', code: 'too_large', messageKey: 'movements.file_too_large_field' }],
      })
    throw err
  }
  const unsafe = findUnsafeInput(fields, 'body')
  if (unsafe) throw new AppError('validation', undefined, { fields: [unsafe] })
  const parsed = ZGuestUploadFields.safeParse(fields)
  if (!parsed.success)
    throw new AppError('validation', undefined, {
      fields: parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.'),
        code: i.code,
        messageKey: i.message.startsWith('i18n:') ? i.message.slice(5) : 'field.invalid',
      })),
    })
  if (!data)
    throw new AppError('validation', undefined, {
      fields: [{ field: 'file', code: 'required', messageKey: 'movements.file_missing' }],
    })
  return { ...parsed.data, data }
}

/**
 * A business's nightly guest list: by form (JSON rows) or as its own CSV/XLSX file. All rows or
 * none; the refusal lists each wrong row and column. Sending the same list again imports nothing new.
 */
export const guestListsRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: MovementsDeps = { db: app.db, bus: app.deps.bus }
  await app.register(fastifyMultipart, {
    limits: { fileSize: GUEST_FILE_MAX_BYTES, files: 1, fields: 6, fieldSize: 2048, parts: 8 },
    throwFileSizeLimit: true,
  })

  async function answer(actor: Actor, list: GuestListRow, created: boolean, ignoredColumns: string[]) {
    const rows = await movementsRepository.listOfGuestList(app.db, list.id)
    const areaName = rows[0]?.areaName ?? ''
    return {
      guestList: presentGuestList(list, areaName),
      created,
      guests: rows.map((r) => presentReport(r, actor)),
      ignoredColumns,
      foreignProcedureId: FOREIGN_GUEST_PROCEDURE_ID,
    }
  }

  app.post(
    '/api/movements/guest-lists',
    {
      schema: {
        tags,
        summary: 'A business sends its guest list typed in the form (all rows or none)',
        body: ZGuestListRequest,
        response: { 200: ZGuestListSubmitted, 201: ZGuestListSubmitted },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'listOwn')
      const b = request.body
      const { list, created } = await guestListsService.submit(
        deps,
        actor,
        {
          source: 'form',
          clientKey: b.clientKey,
          areaId: b.areaId,
          address: b.address,
          candidates: candidatesOfForm(b.rows),
        },
        request.locale,
      )
      return reply.status(created ? 201 : 200).send(await answer(actor, list, created, []))
    },
  )

  app.post(
    '/api/movements/guest-lists/upload',
    {
      schema: {
        tags,
        summary: `Upload the guest list as CSV or XLSX (multipart "file", with areaId and address; at most ${GUEST_LIST_MAX_ROWS} guests)`,
        consumes: ['multipart/form-data'],
        response: { 200: ZGuestListSubmitted, 201: ZGuestListSubmitted },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'listOwn')
      const upload = await readUpload(request)
      const table = await readGuestFile(upload.data, GUEST_LIST_MAX_ROWS)
      const { candidates, ignored, problems, labels } = candidatesOfTable(table)
      const { list, created } = await guestListsService.submit(
        deps,
        actor,
        {
          source: table.kind,
          clientKey: fileClientKey(upload.data, upload.areaId, upload.address),
          areaId: upload.areaId,
          address: upload.address,
          candidates,
          problems,
          fileLabels: labels,
        },
        request.locale,
      )
      return reply.status(created ? 201 : 200).send(await answer(actor, list, created, ignored))
    },
  )
}
