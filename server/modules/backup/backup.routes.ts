import { isAbsolute } from 'node:path'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { ZText } from '../../../common/schemas/text'
import { forbidden, invalidField } from '../../lib/errors'
import { createBackup } from './backup.service'
import { ensureControlToken, sameToken } from './control-token'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/**
 * `POST /internal/backup`: the `nhipcau backup` command on this machine asks the running server to
 * write a backup (the embedded database can be read only inside the process that holds it). Not an
 * API: hidden from the OpenAPI document, answered only on a loopback socket (the socket's own
 * address, never X-Forwarded-For) and only with the data folder's control token.
 */
export const backupRoutes: FastifyPluginAsyncZod = async (app) => {
  const token = ensureControlToken(app.deps.config.DATA_DIR)
  app.post(
    '/internal/backup',
    {
      logLevel: 'warn',
      schema: { hide: true, body: z.object({ file: ZText.max(4096) }) },
    },
    async (request) => {
      const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
      if (!LOOPBACK.has(request.socket.remoteAddress ?? '') || !sameToken(token, bearer)) throw forbidden()
      if (!isAbsolute(request.body.file))
        throw invalidField('file', 'not_absolute', 'backup.file_not_absolute')
      const manifest = await createBackup(app.deps.database, app.deps.config, request.body.file)
      app.log.info({ file: request.body.file, entries: manifest.entries.length }, 'backup written')
      return {
        file: request.body.file,
        database: manifest.database,
        entries: manifest.entries.length,
        bytes: manifest.entries.reduce((n, e) => n + e.bytes, 0),
      }
    },
  )
}
