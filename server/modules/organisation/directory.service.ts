import { type Locale, translate } from '@common/i18n/messages'
import type {
  TCheckPhoneResult,
  TDirectoryArea,
  TDirectorySearch,
  TDirectoryUnit,
  TPublicArea,
} from '@common/schemas/directory'
import { foldVietnamese } from '@common/text/fold'
import { parseVietnamesePhone } from '@common/text/phone'
import type { DbOrTx } from '../../db/client'
import { invalidField, notFound } from '../../lib/errors'
import { scamCallerCheckLine } from '../scam-numbers/scam-caller-check.service'
import { assignmentsRepository } from './assignments.repository'
import { presentPublicOfficerRow, presentPublicStaff, presentPublicUnit } from './directory.presenter'
import { directoryRepository } from './directory.repository'
import { AREA_LEVEL } from './hierarchy.repository'
import { type UnitRow, unitsRepository } from './units.repository'
import { ancestorsOf } from './units-read.service'

/** The scam-safety advice of domain-vn.md §4, in the order a worried caller needs it. */
export const adviceKeys = [
  'no_money',
  'written_summons',
  'hang_up',
  'vneid_auto',
  'apps_official',
  'traffic_fines',
] as const

async function publicAreas(db: DbOrTx, areas: UnitRow[]): Promise<TPublicArea[]> {
  const officers = await assignmentsRepository.currentOfficers(
    db,
    areas.map((a) => a.id),
  )
  return areas.map((a) => {
    const o = officers.get(a.id)
    return { ...presentPublicUnit(a), currentOfficer: o ? presentPublicOfficerRow(o) : null }
  })
}

async function findPublic(db: DbOrTx, slug: string, area: boolean): Promise<UnitRow> {
  const unit = await unitsRepository.findBySlug(db, slug)
  if (!unit || (unit.level === AREA_LEVEL) !== area)
    throw notFound(area ? 'organisation.area_not_found' : 'organisation.unit_not_found')
  return unit
}

/** Where the directory starts: the top units (provinces and cities). */
export async function listDirectoryRoots(db: DbOrTx) {
  const top = (await unitsRepository.listSubtree(db, null)).filter((u) => !u.parentId)
  return { units: top.map(presentPublicUnit) }
}

/** A unit's public page: commanders, officers with the areas they cover, its areas and sub-units. */
export async function getDirectoryUnit(db: DbOrTx, slug: string): Promise<TDirectoryUnit> {
  const unit = await findPublic(db, slug, false)
  const [ancestors, children, commanders, grantOfficers, assigned] = await Promise.all([
    ancestorsOf(db, unit),
    unitsRepository.listChildren(db, unit.id),
    directoryRepository.staffOfUnit(db, unit.id, 'commander'),
    directoryRepository.staffOfUnit(db, unit.id, 'officer'),
    directoryRepository.assignedInUnit(db, unit.id),
  ])
  const areasOf = new Map<string, { slug: string; name: string }[]>()
  for (const a of assigned)
    areasOf.set(a.id, [...(areasOf.get(a.id) ?? []), { slug: a.area_slug, name: a.area_name }])
  const officerRows = new Map(grantOfficers.map((o) => [o.id, o]))
  for (const a of assigned) if (!officerRows.has(a.id)) officerRows.set(a.id, a)
  const commanderIds = new Set(commanders.map((c) => c.id))
  const officers = [...officerRows.values()]
    .filter((o) => !commanderIds.has(o.id))
    .map((o) => presentPublicStaff(o, areasOf.get(o.id)))
    .sort((a, b) =>
      (a.areas[0]?.name ?? '\uffff').localeCompare(b.areas[0]?.name ?? '\uffff', 'vi', { numeric: true }),
    )
  return {
    unit: presentPublicUnit(unit),
    ancestors: ancestors.map(presentPublicUnit),
    children: children.filter((c) => c.level !== AREA_LEVEL).map(presentPublicUnit),
    areas: await publicAreas(
      db,
      children.filter((c) => c.level === AREA_LEVEL),
    ),
    commanders: commanders.map((c) => presentPublicStaff(c, areasOf.get(c.id))),
    officers,
  }
}

/** An area's public page: the officer answering for it now and the commanders of its unit. */
export async function getDirectoryArea(db: DbOrTx, slug: string): Promise<TDirectoryArea> {
  const area = await findPublic(db, slug, true)
  const ancestors = await ancestorsOf(db, area)
  const unit = ancestors.at(-1)!
  const [[publicArea], commanders] = await Promise.all([
    publicAreas(db, [area]),
    directoryRepository.staffOfUnit(db, unit.id, 'commander'),
  ])
  return {
    area: publicArea!,
    unit: presentPublicUnit(unit),
    ancestors: ancestors.map(presentPublicUnit),
    commanders: commanders.map((c) => presentPublicStaff(c)),
  }
}

const SEARCH_LIMIT = 20

/** Officers by name; units and areas by name or street, with or without diacritics. */
export async function searchDirectory(db: DbOrTx, q: string): Promise<TDirectorySearch> {
  const folded = foldVietnamese(q).replace(/\s+/g, ' ').trim()
  const [unitIds, staff] = await Promise.all([
    directoryRepository.searchUnits(db, folded, SEARCH_LIMIT),
    directoryRepository.searchStaff(db, folded, SEARCH_LIMIT),
  ])
  const rows = await unitsRepository.findByIds(
    db,
    unitIds.map((u) => u.id),
  )
  const ordered = unitIds.map((u) => rows.find((r) => r.id === u.id)!).filter(Boolean)
  const parents = await unitsRepository.findByIds(db, [
    ...new Set(ordered.map((u) => u.parentId).filter((p): p is string => !!p)),
  ])
  const areas = await publicAreas(db, ordered)
  return {
    units: areas.map((a, i) => {
      const parent = parents.find((p) => p.id === ordered[i]!.parentId)
      return { ...a, parent: parent ? { slug: parent.slug, name: parent.name } : null }
    }),
    officers: staff.map((s) => ({
      ...presentPublicStaff(s),
      unit: { slug: s.unit_slug, name: s.unit_name },
    })),
  }
}

/** A published number of an officer or a unit (what the caller check answers "official" for). */
export async function isOfficialNumber(db: DbOrTx, e164: string): Promise<boolean> {
  const [[staff], [unit]] = await Promise.all([
    directoryRepository.staffByPhone(db, e164),
    directoryRepository.unitByPhone(db, e164),
  ])
  return !!staff || !!unit
}

/** Story S4: is the number that called me an official police number? */
export async function checkPhone(db: DbOrTx, raw: string, locale: Locale): Promise<TCheckPhoneResult> {
  const parsed = parseVietnamesePhone(raw)
  if (!parsed.ok) throw invalidField('phone', 'phone_invalid', 'directory.phone_invalid')
  const [staff] = await directoryRepository.staffByPhone(db, parsed.e164)
  if (staff) {
    return {
      official: true,
      phone: parsed.e164,
      owner: {
        kind: 'officer',
        name: staff.full_name ?? staff.display_name,
        rank: staff.rank,
        title: staff.title,
        photoUrl: staff.photo_url,
        unit: { slug: staff.unit_slug, name: staff.unit_name },
      },
    }
  }
  const [unit] = await directoryRepository.unitByPhone(db, parsed.e164)
  if (unit) {
    return {
      official: true,
      phone: parsed.e164,
      owner: { kind: 'unit', name: unit.name, rank: null, title: null, photoUrl: null, unit },
    }
  }
  return {
    official: false,
    phone: parsed.e164,
    scam: await scamCallerCheckLine(db, parsed.e164, locale),
    advice: adviceKeys.map((key) => ({ key, text: translate(locale, `directory.advice.${key}`) })),
  }
}
