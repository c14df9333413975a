import type { TCaseView, THelpRequestView } from '@common/schemas/cases'
import type { DbOrTx } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { type AuditContext, audit } from '../audit/audit.service'
import { presentCase, presentHelpRequest } from './cases.presenter'
import { type CaseRow, casesRepository } from './cases.repository'
import { type HelpRequestRow, helpRequestsRepository } from './help-requests.repository'
import { caseActions, casesPolicy, type HelpRequestResource, helpPolicy } from './tips.policy'
import { presentTipListItem } from './tips.presenter'
import { tipsRepository } from './tips.repository'

/**
 * A request for help as the reader may see it. Staff of the case get every answer and who gave it
 * (a read of residents' personal data: audited); a resident gets only their own answers.
 */
export async function helpRequestView(
  db: DbOrTx,
  actor: Actor,
  h: HelpRequestRow,
  resource: HelpRequestResource,
  caseNumber: number,
  auditCtx: AuditContext,
): Promise<THelpRequestView> {
  const showResponders = helpPolicy.can(actor, 'readResponders', resource)
  const [targets, responses] = await Promise.all([
    helpRequestsRepository.targets(db, h.id),
    helpRequestsRepository.responses(db, h.id, showResponders ? undefined : actor.userId),
  ])
  const files = await helpRequestsRepository.responseFiles(
    db,
    responses.map((r) => r.id),
  )
  if (showResponders && responses.length) {
    await audit.record(db, auditCtx, {
      action: 'help_response.read',
      entityType: 'help_request',
      entityId: h.id,
      unitPath: resource.case.areaPath,
      details: {
        responses: responses.length,
        subjectUserIds: [...new Set(responses.flatMap((r) => (r.responder_id ? [r.responder_id] : [])))],
      },
    })
  }
  return presentHelpRequest(h, {
    caseNumber,
    targets,
    responses,
    files,
    showResponders,
    can: helpPolicy.allowed(actor, ['respond'], resource),
  })
}

export async function caseViewFor(
  db: DbOrTx,
  actor: Actor,
  c: CaseRow,
  auditCtx: AuditContext,
): Promise<TCaseView> {
  const [tips, evidence, timeline, links, helpRows, areaName] = await Promise.all([
    tipsRepository.listOfCase(db, c.id),
    casesRepository.evidence(db, c.id),
    casesRepository.timeline(db, c.id),
    casesRepository.links(db, c.id),
    helpRequestsRepository.ofCase(db, c.id),
    tipsRepository.areaName(db, c.areaId),
  ])
  const ids = [
    ...new Set([c.assigneeId, ...evidence.map((e) => e.addedById)].filter((x): x is string => !!x)),
  ]
  const names = await casesRepository.userNames(db, ids)
  const resource: HelpRequestResource = { case: c, isAudience: false, isResponder: false, isOpen: true }
  const helpRequests: THelpRequestView[] = []
  for (const h of helpRows) {
    helpRequests.push(
      await helpRequestView(db, actor, h, { ...resource, isOpen: h.status === 'open' }, c.number, auditCtx),
    )
  }
  return presentCase(c, {
    areaName,
    assigneeName: c.assigneeId ? (names.get(c.assigneeId) ?? null) : null,
    tips: tips.map(presentTipListItem),
    evidence,
    names,
    timeline,
    links,
    helpRequests,
    can: casesPolicy.allowed(actor, caseActions, c),
  })
}
