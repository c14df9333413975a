import {
  ZQuarantineTipRequest,
  ZTipListItem,
  ZTipListQuery,
  ZTipView,
  ZUpdateTipRequest,
} from '@common/schemas/tips'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { quarantineTip } from './tip-quarantine.service'
import { tipViewFor } from './tip-view'
import { tipsPolicy } from './tips.policy'
import { presentTipListItem } from './tips.presenter'
import { tipsRepository } from './tips.repository'
import { type TipsDeps, tipsService } from './tips.service'

/** Staff triage: the queue of tips (overdue on top), status and hand-over. */
export const tipsStaffRoutes: FastifyPluginAsyncZod = async (app) => {
  const deps: TipsDeps = { db: app.db, storage: app.deps.storage, bus: app.deps.bus, config: app.deps.config }

  app.get(
    '/api/tips',
    { schema: { tags: ['tips'], querystring: ZTipListQuery, response: { 200: z.array(ZTipListItem) } } },
    async (request) => {
      const actor = requireActor(request)
      tipsPolicy.authorize(actor, 'triage')
      const rows = await tipsRepository.listForStaff(app.db, scopeOf(actor), request.query)
      return rows.map(presentTipListItem)
    },
  )

  app.patch(
    '/api/tips/:id',
    {
      schema: {
        tags: ['tips'],
        params: z.object({ id: z.uuid() }),
        body: ZUpdateTipRequest,
        response: { 200: ZTipView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const tip = await tipsRepository.get(app.db, request.params.id)
      if (!tip) throw notFound('tips.not_found')
      tipsPolicy.authorize(actor, 'work', tip, { hide: true })
      const updated = await tipsService.update(deps, actor, auditContext(request), tip, request.body)
      return tipViewFor(app.db, updated, { audience: 'staff', actor, audit: auditContext(request) })
    },
  )

  /** Spam: an administrator or a commander of the unit deletes the files' bytes; hashes and records stay. */
  app.post(
    '/api/tips/:id/quarantine',
    {
      schema: {
        tags: ['tips'],
        params: z.object({ id: z.uuid() }),
        body: ZQuarantineTipRequest,
        response: { 200: ZTipView },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      const tip = await tipsRepository.get(app.db, request.params.id)
      if (!tip) throw notFound('tips.not_found')
      // Those who may read the tip learn they may not quarantine it (403); others, nothing (404).
      tipsPolicy.authorize(actor, 'quarantine', tip, { hide: !tipsPolicy.can(actor, 'read', tip) })
      const ctx = auditContext(request)
      const updated = await quarantineTip(deps, actor, ctx, tip, request.body.reason)
      return tipViewFor(app.db, updated, { audience: 'staff', actor, audit: ctx })
    },
  )
}
