import { TIP_MAX_FILES, VIDEO_MAX_BYTES } from '@common/schemas/tips'
import fastifyMultipart from '@fastify/multipart'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findUnsafeInput } from '../../lib/edge-guard'
import { AppError } from '../../lib/errors'
import type { FileStorage } from '../../storage/file-storage'
import { discardUploads, type StoredUpload, storeUpload, type UploadOptions } from './evidence-upload'

/** Registers multipart parsing for this plugin's routes only, with the limits of a tip form. */
export async function registerTipMultipart(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, {
    limits: { fileSize: VIDEO_MAX_BYTES, files: TIP_MAX_FILES, fields: 30, fieldSize: 16 * 1024, parts: 40 },
    throwFileSizeLimit: true,
  })
}

export interface TipForm {
  fields: Record<string, unknown>
  uploads: StoredUpload[]
}

const multipartErrors: Record<string, AppError> = {
  FST_REQ_FILE_TOO_LARGE: new AppError('payload_too_large', 'tips.video_too_large', {
    fields: [{ field: 'files', code: 'too_large', messageKey: 'tips.video_too_large' }],
  }),
  FST_FILES_LIMIT: new AppError('payload_too_large', 'tips.too_many_files', {
    fields: [{ field: 'files', code: 'too_many', messageKey: 'tips.too_many_files' }],
  }),
  FST_PARTS_LIMIT: new AppError('payload_too_large', 'tips.too_many_files'),
  FST_FIELDS_LIMIT: new AppError('payload_too_large', 'tips.too_many_fields'),
}

/**
 * Reads a multipart form (text fields + parts named "files"), storing each file as it arrives —
 * a 100 MB clip goes straight to storage, never into memory. JSON bodies (no files) are accepted too.
 * If anything fails, the files already stored are removed before the error is thrown.
 */
export async function readTipForm(
  request: FastifyRequest,
  storage: FileStorage,
  opts: UploadOptions = { anonymous: false },
): Promise<TipForm> {
  if (!request.isMultipart()) {
    const body = request.body
    if (body && typeof body === 'object' && !Array.isArray(body))
      return { fields: body as Record<string, unknown>, uploads: [] }
    throw new AppError('unsupported_media_type', 'tips.form_type')
  }
  const fields: Record<string, unknown> = {}
  const uploads: StoredUpload[] = []
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'files') {
          part.file.resume()
          continue
        }
        const videos = uploads.filter((u) => u.kind === 'video').length
        const left = opts.maxVideos === undefined ? undefined : opts.maxVideos - videos
        uploads.push(await storeUpload(storage, part.file, { ...opts, maxVideos: left }))
      } else {
        fields[part.fieldname] = part.value
      }
    }
  } catch (err) {
    await discardUploads(storage, uploads)
    const code = (err as { code?: string }).code
    throw (code && multipartErrors[code]) || err
  }
  // Multipart fields skip the JSON edge guard (they are read here, after validation): same rule.
  const unsafe = findUnsafeInput(fields, 'body')
  if (unsafe) {
    await discardUploads(storage, uploads)
    throw new AppError('validation', undefined, { fields: [unsafe] })
  }
  return { fields, uploads }
}
