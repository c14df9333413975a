import type { TUpdateProfile } from '@common/schemas/account'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import { presentAuditEntry } from '../audit/audit.presenter'
import { listAuditAbout } from '../audit/audit.repository'
import { type AuditContext, audit } from '../audit/audit.service'
import { listAllUserSessions, revokeUserSessions } from '../auth/session.repository'
import { accountPolicy } from './account.policy'
import { presentProfile, presentSession } from './account.presenter'
import * as repo from './account.repository'
import { accountDataContributors } from './account-data.registry'

const AREA_LEVEL = 'residential_group'

export async function getProfile(db: Db, actor: Actor) {
  const user = await repo.findUser(db, actor.userId)
  if (!user) throw notFound()
  return { user, area: user.areaId ? await repo.findUnit(db, user.areaId) : undefined }
}

export async function updateProfile(db: Db, actor: Actor, input: TUpdateProfile) {
  const { areaSlug, ...patch } = input
  if (areaSlug !== undefined) {
    accountPolicy.authorize(actor, 'chooseArea')
    const area = await repo.findUnitBySlug(db, areaSlug)
    if (!area || area.level !== AREA_LEVEL)
      throw invalidField('areaSlug', 'not_an_area', 'account.area_invalid')
    patch.areaId = area.id
  } else if (patch.areaId !== undefined) {
    accountPolicy.authorize(actor, 'chooseArea')
    if (patch.areaId !== null) {
      const area = await repo.findUnit(db, patch.areaId)
      if (!area || area.level !== AREA_LEVEL)
        throw invalidField('areaId', 'not_an_area', 'account.area_invalid')
    }
  }
  await repo.updateUser(db, actor.userId, patch)
  return getProfile(db, actor)
}

/** "My area and my officer": the area, its commune-level unit, and who answers for it now. */
export async function getMyArea(db: Db, actor: Actor) {
  const user = await repo.findUser(db, actor.userId)
  const area = user?.areaId ? await repo.findUnit(db, user.areaId) : undefined
  const unit = area?.parentId ? await repo.findUnit(db, area.parentId) : undefined
  const officers = area ? (await repo.currentOfficersOf(db, area.id)).map((r) => r.user) : []
  return { area, unit, officers }
}

/** Everything NhipCau holds about the user, as one JSON document. */
export async function exportAccount(db: Db, actor: Actor) {
  const { user, area } = await getProfile(db, actor)
  const sessions = await listAllUserSessions(db, user.id)
  const accessLog = await listAuditAbout(db, 'user', user.id)
  const modules: Record<string, unknown> = {}
  for (const c of accountDataContributors()) modules[c.name] = await c.export(db, user.id)
  return {
    format: 'nhipcau-account-export/1',
    exportedAt: new Date().toISOString(),
    profile: { ...presentProfile(user, area), email: user.email, updatedAt: user.updatedAt.toISOString() },
    sessions: sessions.map((s) => ({
      ...presentSession(s, actor.sessionId),
      revokedAt: s.revokedAt?.toISOString() ?? null,
    })),
    /** Who read or changed this account, from the audit log. */
    accessLog: accessLog.map((r) => presentAuditEntry(r, false)),
    ...modules,
  }
}

/**
 * Deletes the account: personal data erased in place, every session ended, each module's data
 * erased, and the audit log keeps that it happened (without the person's data).
 */
export async function deleteAccount(db: Db, actor: Actor, ctx: AuditContext) {
  accountPolicy.authorize(actor, 'delete')
  const user = await repo.findUser(db, actor.userId)
  if (!user) throw notFound()
  const area = user.areaId ? await repo.findUnit(db, user.areaId) : undefined
  await db.transaction(async (tx) => {
    for (const c of accountDataContributors()) await c.erase?.(tx, user.id)
    await repo.anonymiseUser(tx, user.id, user.phone)
    const sessionsEnded = await revokeUserSessions(tx, user.id)
    await audit.record(tx, ctx, {
      action: 'account.delete',
      entityType: 'user',
      entityId: user.id,
      unitId: area?.id ?? null,
      unitPath: area?.path ?? null,
      details: { sessionsEnded },
    })
  })
}
