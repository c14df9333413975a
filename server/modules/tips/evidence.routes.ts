import { sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import type { Actor } from '../../lib/actor'
import { notFound } from '../../lib/errors'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { casesRepository, type EvidenceRow } from './cases.repository'
import { helpRequestsRepository } from './help-requests.repository'
import { casesPolicy, tipsPolicy } from './tips.policy'
import { tipsRepository } from './tips.repository'

/** Whether the actor may open a file: staff of its tip or case, the tip's own sender, the helper who sent it. */
async function mayRead(db: DbOrTx, actor: Actor, f: EvidenceRow): Promise<boolean> {
  if (f.addedById && f.addedById === actor.userId) return true
  let tipId = f.tipId
  if (f.tipMessageId) {
    const [row] = await queryRows<{ tip_id: string }>(
      db,
      sql`select tip_id from tip_messages where id = ${f.tipMessageId}`,
    )
    tipId = row?.tip_id ?? null
  }
  let caseId = f.caseId
  if (tipId) {
    const tip = await tipsRepository.get(db, tipId)
    if (!tip) return false
    if (tipsPolicy.can(actor, 'read', tip)) return true
    caseId = tip.caseId
  }
  if (f.helpResponseId) {
    const response = await helpRequestsRepository.getResponse(db, f.helpResponseId)
    const h = response ? await helpRequestsRepository.get(db, response.helpRequestId) : undefined
    caseId = h?.caseId ?? null
  }
  const c = caseId ? await casesRepository.get(db, caseId) : undefined
  return !!c && casesPolicy.can(actor, 'read', c)
}

/** The signed tipster or helping resident whose file it is, named in the audit row for their access log. */
async function evidenceSubjects(db: DbOrTx, f: EvidenceRow): Promise<{ subjectUserIds?: string[] }> {
  if (f.addedById) return { subjectUserIds: [f.addedById] }
  const tip = f.tipId ? await tipsRepository.get(db, f.tipId) : undefined
  return tip?.submitterId && !tip.isAnonymous ? { subjectUserIds: [tip.submitterId] } : {}
}

/** Evidence files, streamed; answered 404 to anyone who may not see them. */
export const evidenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const serve = (variant: 'original' | 'thumb') => async (request: FastifyRequest, reply: FastifyReply) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const file = await casesRepository.evidenceFile(app.db, id)
    if (!file || !(await mayRead(app.db, actor, file))) throw notFound()
    // Erased, past retention or quarantined: the record and hash stay, the bytes are gone.
    if (file.bytesRemovedAt) throw notFound('tips.evidence_removed')
    const key = variant === 'thumb' ? file.thumbKey : file.storageKey
    if (!key) throw notFound()
    // Chain of custody: who opened which bytes (once per session, file and variant an hour).
    if (file.addedById !== actor.userId)
      await audit.recordRead(app.db, auditContext(request), {
        action: 'evidence.read',
        entityType: 'evidence',
        entityId: file.id,
        details: { sha256: file.sha256, variant, ...(await evidenceSubjects(app.db, file)) },
      })
    reply.header('cache-control', 'private, max-age=3600')
    if (variant === 'thumb')
      return reply.header('content-type', 'image/jpeg').send(await app.deps.storage.get(key))
    return reply
      .header('content-type', file.mime)
      .header('content-length', String(file.size))
      .header('x-evidence-sha256', file.sha256)
      .send(await app.deps.storage.get(key))
  }
  const schema = { tags: ['evidence'], params: z.object({ id: z.uuid() }) }
  app.get('/api/evidence/:id', { schema }, serve('original'))
  app.get('/api/evidence/:id/thumb', { schema }, serve('thumb'))
}
