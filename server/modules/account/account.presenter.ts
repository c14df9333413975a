import { type Locale, translate } from '@common/i18n/messages'
import type { TDeletionPreview, TMyArea, TOfficerCard, TProfile, TSessionInfo } from '@common/schemas/account'
import type { SessionRow } from '../auth/session.repository'
import type { UnitRow, UserRow } from './account.repository'
import type { RetainedRecord } from './account-data.registry'

export function presentProfile(user: UserRow, area: UnitRow | undefined): TProfile {
  return {
    id: user.id,
    kind: user.kind,
    displayName: user.displayName,
    fullName: user.fullName,
    phone: user.phone,
    area: area ? { id: area.id, name: area.name } : null,
    address: user.address,
    locale: user.locale,
    largeText: user.largeText,
    smsAlerts: user.smsAlerts,
    createdAt: user.createdAt.toISOString(),
  }
}

/** Public facts about an officer (the directory shows the same). */
export const presentOfficerCard = (u: UserRow): TOfficerCard => ({
  id: u.id,
  displayName: u.displayName,
  rank: u.rank,
  title: u.title,
  photoUrl: u.photoUrl,
  officialPhone: u.officialPhone,
})

export function presentMyArea(
  area: UnitRow | undefined,
  unit: UnitRow | undefined,
  officers: UserRow[],
): TMyArea {
  return {
    area: area
      ? {
          id: area.id,
          name: area.name,
          unit: unit ? { id: unit.id, name: unit.name, phone: unit.phone, address: unit.address } : null,
        }
      : null,
    officers: officers.map(presentOfficerCard),
  }
}

export const presentSession = (s: SessionRow, currentId: string): TSessionInfo => ({
  id: s.id,
  createdAt: s.createdAt.toISOString(),
  lastSeenAt: s.lastSeenAt.toISOString(),
  expiresAt: s.expiresAt.toISOString(),
  userAgent: s.userAgent,
  ip: s.ip,
  isCurrent: s.id === currentId,
})

/** Kept records the resident recognises get a line; their parts (messages, files, register rows) are counted in. */
export function presentDeletionPreview(
  retained: (RetainedRecord & { module: string })[],
  locale: Locale,
): TDeletionPreview {
  return {
    items: retained
      .filter((r) => !r.reasonKey.startsWith('data.retained.part_of'))
      .map((r) => ({
        module: r.module,
        table: r.table,
        id: r.id,
        reason: translate(locale, r.reasonKey, r.vars ?? {}),
      })),
    records: retained.map((r) => ({ table: r.table, id: r.id })),
  }
}
