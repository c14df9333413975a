import type { TAssignment, TOfficerSummary, TUnitListItem, TUnitSummary } from '@common/schemas/organisation'
import type { users } from '../../db/schema/index'
import type { AssignmentRow } from './assignments.repository'
import { AREA_LEVEL } from './hierarchy.repository'
import type { UnitRow } from './units.repository'

export type OfficerRow = Pick<
  typeof users.$inferSelect,
  'id' | 'displayName' | 'fullName' | 'rank' | 'title' | 'officialPhone' | 'photoUrl'
>

export const presentUnit = (u: UnitRow): TUnitSummary => ({
  id: u.id,
  slug: u.slug,
  code: u.code,
  name: u.name,
  level: u.level,
  kind: u.kind,
  parentId: u.parentId,
  address: u.address,
  phone: u.phone,
  householdCount: u.householdCount,
  residentCount: u.residentCount,
})

export const presentOfficer = (o: OfficerRow): TOfficerSummary => ({
  id: o.id,
  name: o.fullName ?? o.displayName,
  rank: o.rank,
  title: o.title,
  officialPhone: o.officialPhone,
  photoUrl: o.photoUrl,
})

export const presentUnitListItem = (u: UnitRow, officer: OfficerRow | undefined): TUnitListItem => ({
  ...presentUnit(u),
  isArea: u.level === AREA_LEVEL,
  currentOfficer: officer ? presentOfficer(officer) : null,
})

export const presentAssignment = (a: AssignmentRow, now = new Date()): TAssignment => ({
  id: a.id,
  areaId: a.areaId,
  officer: presentOfficer(a.officer),
  startsAt: a.startsAt.toISOString(),
  endsAt: a.endsAt?.toISOString() ?? null,
  isCurrent: a.startsAt <= now && (!a.endsAt || a.endsAt > now),
})
