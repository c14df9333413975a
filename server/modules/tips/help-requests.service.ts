import { translate } from '@common/i18n/messages'
import { type TCreateHelpRequest, ZCreateHelpRequest } from '@common/schemas/cases'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import type { FileStorage } from '../../storage/file-storage'
import { type AuditContext, audit } from '../audit/audit.service'
import { type AreaRef, getArea } from './area-resolver'
import { type CaseRow, casesRepository } from './cases.repository'
import { discardUploads, type StoredUpload } from './evidence-upload'
import { helpRequestText, mayPostInGroup, type PostingDeps, postToGroup } from './help-posting'
import { type HelpRequestRow, helpRequestsRepository } from './help-requests.repository'
import { publishCaseChanged, publishHelpRequestChanged } from './tips.events'
import { casesPolicy, type HelpRequestResource, helpPolicy } from './tips.policy'
import { uploadQuota } from './upload-quota'

export interface HelpDeps extends PostingDeps {
  storage: FileStorage
}

export async function helpResource(deps: PostingDeps, actor: Actor | null, h: HelpRequestRow) {
  const c = (await casesRepository.get(deps.db, h.caseId))!
  const resource: HelpRequestResource = {
    case: { areaPath: c.areaPath, assigneeId: c.assigneeId },
    isAudience: actor ? await helpRequestsRepository.isAudience(deps.db, h.id, actor.userId) : false,
    isResponder: actor ? await helpRequestsRepository.hasResponded(deps.db, h.id, actor.userId) : false,
    isOpen: h.status === 'open',
  }
  return { c, resource }
}

async function publishEvent(deps: PostingDeps, h: HelpRequestRow) {
  const targets = await helpRequestsRepository.targets(deps.db, h.id)
  await publishHelpRequestChanged(deps.bus, {
    id: h.id,
    status: h.status,
    caseId: h.caseId,
    groupIds: targets.flatMap((t) => (t.group_id ? [t.group_id] : [])),
    areaIds: targets.flatMap((t) => (t.area_id ? [t.area_id] : [])),
  })
}

/** Posts into every target group that has not had the message yet (idempotent by client key). */
async function postToTargets(
  deps: PostingDeps,
  actor: Actor,
  h: HelpRequestRow,
  kind: 'open' | 'close',
  body: string,
) {
  for (const t of await helpRequestsRepository.targets(deps.db, h.id)) {
    if (!t.group_id || (kind === 'open' ? t.message_id : t.closing_message_id)) continue
    const messageId = await postToGroup(
      deps,
      actor,
      t.group_id,
      `help-${kind}:${h.id}:${t.group_id}`,
      body,
    ).catch(() => null)
    if (messageId) {
      await helpRequestsRepository.setTargetMessage(
        deps.db,
        t.id,
        kind === 'open' ? 'messageId' : 'closingMessageId',
        messageId,
      )
    }
  }
}

export const helpRequestsService = {
  /**
   * Publishes a request for help from a case to groups (posted there as a message) and areas (their
   * group chats, and every resident of the area sees it in their list).
   */
  async publish(deps: HelpDeps, actor: Actor, ctx: AuditContext, c: CaseRow, raw: TCreateHelpRequest) {
    casesPolicy.authorize(actor, 'work', c)
    const input = ZCreateHelpRequest.parse(raw)
    for (const groupId of input.groupIds) {
      if (!(await mayPostInGroup(deps.db, actor, groupId)))
        throw invalidField('groupIds', 'invalid', 'help.group_invalid')
    }
    const areas: AreaRef[] = []
    for (const areaId of input.areaIds) {
      const area = await getArea(deps.db, areaId)
      if (!area || !casesPolicy.can(actor, 'publishToArea', area))
        throw invalidField('areaIds', 'invalid', 'help.area_invalid')
      areas.push(area)
    }
    if (
      input.photoFileId &&
      !(await casesRepository.evidence(deps.db, c.id)).some(
        (f) => f.id === input.photoFileId && f.kind === 'photo',
      )
    ) {
      throw invalidField('photoFileId', 'invalid', 'cases.evidence_invalid')
    }
    const areaGroups = new Set<string>()
    for (const a of areas)
      for (const g of await helpRequestsRepository.groupsOfArea(deps.db, a.id)) areaGroups.add(g)
    const groupIds = [
      ...new Set([...input.groupIds, ...[...areaGroups].filter((g) => !input.groupIds.includes(g))]),
    ]
    const h = await deps.db.transaction(async (tx) => {
      const row = await helpRequestsRepository.insert(tx, {
        caseId: c.id,
        description: input.description,
        lookFor: input.lookFor,
        placeText: input.placeText,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        windowStart: input.windowStart ? new Date(input.windowStart) : null,
        windowEnd: input.windowEnd ? new Date(input.windowEnd) : null,
        photoFileId: input.photoFileId ?? null,
        createdById: actor.userId,
      })
      await helpRequestsRepository.insertTargets(tx, [
        ...groupIds.map((groupId) => ({ helpRequestId: row.id, groupId })),
        ...areas.map((a) => ({ helpRequestId: row.id, areaId: a.id, areaPath: a.path })),
      ])
      await casesRepository.addEvent(tx, {
        caseId: c.id,
        actorId: actor.userId,
        type: 'help_request_published',
        data: { helpRequestId: row.id, groups: groupIds.length, areas: areas.length },
      })
      await audit.record(tx, ctx, {
        action: 'help_request.publish',
        entityType: 'help_request',
        entityId: row.id,
        unitPath: c.areaPath,
      })
      return row
    })
    await postToTargets(deps, actor, h, 'open', helpRequestText(deps.config, h))
    await publishEvent(deps, h)
    await publishCaseChanged(deps.bus, c)
    return h
  },

  async getReadable(deps: PostingDeps, actor: Actor, id: string) {
    const h = await helpRequestsRepository.get(deps.db, id)
    if (!h) throw notFound('help.not_found')
    const { c, resource } = await helpResource(deps, actor, h)
    helpPolicy.authorize(actor, 'read', resource, { hide: true })
    return { h, c, resource }
  },

  /** A resident's answer: text and clips, which land on the case as evidence. */
  async respond(
    deps: HelpDeps,
    actor: Actor,
    h: HelpRequestRow,
    resource: HelpRequestResource,
    input: { clientKey: string; body: string; uploads: StoredUpload[] },
  ) {
    try {
      helpPolicy.authorize(actor, 'respond', resource)
      if (!input.body.trim() && !input.uploads.length)
        throw invalidField('body', 'too_small', 'help.answer_empty')
      const existing = await helpRequestsRepository.findResponse(deps.db, actor.userId, input.clientKey)
      if (existing) {
        await discardUploads(deps.storage, input.uploads)
        return existing
      }
      const response = await deps.db.transaction(async (tx) => {
        const c = (await casesRepository.get(tx, h.caseId))!
        await uploadQuota.charge(tx, deps.config, {
          areaId: c.areaId,
          bytes: input.uploads.reduce((n, u) => n + u.size, 0),
        })
        const row = await helpRequestsRepository.insertResponse(tx, {
          helpRequestId: h.id,
          responderId: actor.userId,
          body: input.body.trim(),
          clientKey: input.clientKey,
        })
        for (const u of input.uploads) {
          await casesRepository.insertEvidence(tx, {
            id: u.id,
            helpResponseId: row.id,
            kind: u.kind,
            mime: u.mime,
            size: u.size,
            sha256: u.sha256,
            storageKey: u.storageKey,
            thumbKey: u.thumbKey,
            width: u.width,
            height: u.height,
            addedById: actor.userId,
            addedByRole: 'helper',
          })
        }
        await casesRepository.addEvent(tx, {
          caseId: h.caseId,
          actorId: actor.userId,
          type: 'help_response_received',
          data: {
            helpRequestId: h.id,
            responseId: row.id,
            files: input.uploads.map((u) => ({ id: u.id, sha256: u.sha256 })),
          },
        })
        return row
      })
      const c = (await casesRepository.get(deps.db, h.caseId))!
      await publishCaseChanged(deps.bus, c)
      return response
    } catch (err) {
      await discardUploads(deps.storage, input.uploads)
      throw err
    }
  },

  /** When the case resolves: every open request closes with the thank-you, posted where it was asked. */
  async closeForCase(deps: PostingDeps, c: CaseRow, actor: Actor, closingMessage: string | null) {
    const text = closingMessage ?? translate('vi', `help.closing.${c.outcome ?? 'other'}`)
    for (const open of await helpRequestsRepository.ofCase(deps.db, c.id)) {
      if (open.status !== 'open') continue
      const h = await helpRequestsRepository.close(deps.db, open.id, text)
      await casesRepository.addEvent(deps.db, {
        caseId: c.id,
        actorId: actor.userId,
        type: 'help_request_closed',
        data: { helpRequestId: h.id },
      })
      await postToTargets(deps, actor, h, 'close', `${translate('vi', 'help.post.closing_heading')}\n${text}`)
      await publishEvent(deps, h)
    }
  },
}
