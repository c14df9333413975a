import type { TPublicOfficer, TPublicUnit } from '@common/schemas/directory'
import type { PublicStaffRow } from './directory.repository'
import type { OfficerRow } from './organisation.presenter'
import type { UnitRow } from './units.repository'

/** What anyone may see of a unit: no ids, no geometry internals, no paths. */
export const presentPublicUnit = (u: UnitRow): TPublicUnit => ({
  slug: u.slug,
  name: u.name,
  code: u.code,
  level: u.level,
  kind: u.kind,
  address: u.address,
  phone: u.phone,
  householdCount: u.householdCount,
  residentCount: u.residentCount,
})

export const presentPublicStaff = (
  r: Pick<
    PublicStaffRow,
    'id' | 'display_name' | 'full_name' | 'rank' | 'title' | 'photo_url' | 'official_phone'
  >,
  areas: { slug: string; name: string }[] = [],
): TPublicOfficer => ({
  id: r.id,
  name: r.full_name ?? r.display_name,
  rank: r.rank,
  title: r.title,
  photoUrl: r.photo_url,
  officialPhone: r.official_phone,
  areas,
})

export const presentPublicOfficerRow = (o: OfficerRow): Omit<TPublicOfficer, 'areas'> => ({
  id: o.id,
  name: o.fullName ?? o.displayName,
  rank: o.rank,
  title: o.title,
  photoUrl: o.photoUrl,
  officialPhone: o.officialPhone,
})
