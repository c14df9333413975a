import type { TUpdateProfile } from '@common/schemas/account'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import { invalidField, notFound } from '../../lib/errors'
import type { FileStorage } from '../../storage/file-storage'
import { type AuditContext, audit } from '../audit/audit.service'
import { revokeUserSessions } from '../auth/session.repository'
import { personalDataModules } from '../personal-data'
import { accountPolicy } from './account.policy'
import * as repo from './account.repository'
import type { ExportedFile, RetainedRecord } from './account-data.registry'

export interface AccountExportPart {
  name: string
  data: unknown
  files: ExportedFile[]
}

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

/** Everything NhipCau holds about the user: one JSON document per module and their own files. */
export async function exportAccount(db: Db, actor: Actor) {
  accountPolicy.authorize(actor, 'export')
  const exportedAt = new Date()
  const parts: AccountExportPart[] = []
  for (const m of personalDataModules) {
    const out = await m.export(db, actor.userId)
    parts.push({ name: m.name, data: out.data, files: out.files ?? [] })
  }
  return { exportedAt, parts }
}

/** What deleting the account would keep under a legal basis, for the resident to read before confirming. */
export async function deletionPreview(db: Db, actor: Actor) {
  accountPolicy.authorize(actor, 'delete')
  const retained: (RetainedRecord & { module: string })[] = []
  for (const m of personalDataModules)
    for (const r of (await m.retained?.(db, actor.userId)) ?? []) retained.push({ ...r, module: m.name })
  return retained
}

/**
 * Deletes the account: every module erases or anonymises what it holds (keeping, under their legal
 * basis, exactly the records the preview lists), every session ends, and the audit log keeps that it
 * happened (without the person's data). Stored bytes are deleted after the commit.
 */
export async function deleteAccount(db: Db, storage: FileStorage, actor: Actor, ctx: AuditContext) {
  accountPolicy.authorize(actor, 'delete')
  const user = await repo.findUser(db, actor.userId)
  if (!user) throw notFound()
  const area = user.areaId ? await repo.findUnit(db, user.areaId) : undefined
  const storageKeys: string[] = []
  await db.transaction(async (tx) => {
    const sessionsEnded = await revokeUserSessions(tx, user.id)
    const erased: Record<string, number> = {}
    const kept: Record<string, number> = {}
    for (const m of personalDataModules) {
      const retained = (await m.retained?.(tx, user.id)) ?? []
      const out = await m.erase(tx, user.id, retained)
      erased[m.name] = out.count
      if (retained.length) kept[m.name] = retained.length
      storageKeys.push(...(out.storageKeys ?? []))
    }
    await audit.record(tx, ctx, {
      action: 'account.delete',
      entityType: 'user',
      entityId: user.id,
      unitId: area?.id ?? null,
      unitPath: area?.path ?? null,
      details: { sessionsEnded, erased, retained: kept },
    })
  })
  // After the commit: a failed delete leaves an orphan file, never a record pointing at nothing.
  for (const key of storageKeys) await storage.delete(key).catch(() => undefined)
}
