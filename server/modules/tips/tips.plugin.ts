import type { FastifyPluginAsync } from 'fastify'
import { followOfficerChanges } from '../organisation/officer-change.job'
import { casesRepository } from './cases.repository'
import { casesRoutes } from './cases.routes'
import { evidenceRoutes } from './evidence.routes'
import { followAreaOfficer } from './handover.service'
import { helpRequestsRoutes } from './help-requests.routes'
import { mapRoutes } from './map.routes'
import { registerTipMultipart } from './tip-form'
import { casesPolicy } from './tips.policy'
import { tipsRoutes } from './tips.routes'
import { tipsStaffRoutes } from './tips-staff.routes'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Tips, cases, evidence, requests for help and the staff map. Multipart is registered here, inside
 * this plugin's scope, with the limits of a tip (6 files, clips up to 100 MB, streamed).
 */
export const tipsModule: FastifyPluginAsync = async (app) => {
  await registerTipMultipart(app)
  await app.register(tipsRoutes)
  await app.register(tipsStaffRoutes)
  await app.register(mapRoutes)
  await app.register(casesRoutes)
  await app.register(helpRequestsRoutes)
  await app.register(evidenceRoutes)

  // When an area changes officer, the former officer's tips and cases there follow the new one (F12),
  // on the day it takes effect (the organisation module's job runs this, and retries it on failure).
  followOfficerChanges(app.deps.jobs, (change) =>
    followAreaOfficer({ db: app.db, bus: app.deps.bus }, change.areaId, change.previousOfficerId),
  )

  // case:<id> rooms: the case's officers and commanders.
  app.hub.registerRoomAuthoriser('case', async (ctx, room) => {
    const caseId = room.slice('case:'.length)
    if (!ctx.actor || !UUID.test(caseId)) return false
    const c = await casesRepository.get(app.db, caseId)
    return !!c && casesPolicy.can(ctx.actor, 'read', c)
  })
}
