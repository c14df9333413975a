import { z } from 'zod'

/** Staff API of the organisation module: the unit tree, areas (residential groups) and assignments. */

export const ZHierarchyKind = z.object({ key: z.string(), labelVi: z.string(), labelEn: z.string() })
export const ZHierarchyLevel = z.object({
  key: z.string(),
  position: z.number().int(),
  labelVi: z.string(),
  labelEn: z.string(),
  kinds: z.array(ZHierarchyKind),
  enabled: z.boolean(),
})
export type THierarchyLevel = z.infer<typeof ZHierarchyLevel>
export const ZHierarchyLevels = z.object({ levels: z.array(ZHierarchyLevel) })
export const ZUpdateHierarchyLevel = z
  .object({
    labelVi: z.string().trim().min(1).max(80).optional(),
    labelEn: z.string().trim().min(1).max(80).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()

export const ZUnitSummary = z.object({
  id: z.uuid(),
  slug: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  level: z.string(),
  kind: z.string(),
  parentId: z.uuid().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  householdCount: z.number().int().nullable(),
  residentCount: z.number().int().nullable(),
})
export type TUnitSummary = z.infer<typeof ZUnitSummary>

export const ZOfficerSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  rank: z.string().nullable(),
  title: z.string().nullable(),
  officialPhone: z.string().nullable(),
  photoUrl: z.string().nullable(),
})
export type TOfficerSummary = z.infer<typeof ZOfficerSummary>

/** A unit in a staff list; areas carry the officer answering for them now. */
export const ZUnitListItem = ZUnitSummary.extend({
  isArea: z.boolean(),
  currentOfficer: ZOfficerSummary.nullable(),
})
export type TUnitListItem = z.infer<typeof ZUnitListItem>

export const ZUnitCan = z.object({ manage: z.boolean() })

export const ZUnitRoots = z.object({ units: z.array(ZUnitListItem) })
export const ZUnitDetail = z.object({
  unit: ZUnitListItem,
  ancestors: z.array(ZUnitSummary),
  children: z.array(ZUnitListItem),
  can: ZUnitCan,
})
export type TUnitDetail = z.infer<typeof ZUnitDetail>
export const ZUnitAreas = z.object({ areas: z.array(ZUnitListItem) })
export type TUnitAreas = z.infer<typeof ZUnitAreas>

export const ZUnitOfficer = ZOfficerSummary.extend({
  role: z.enum(['officer', 'commander']),
  unit: z.object({ id: z.uuid(), name: z.string() }),
  areas: z.array(z.object({ id: z.uuid(), name: z.string(), slug: z.string() })),
})
export type TUnitOfficer = z.infer<typeof ZUnitOfficer>
export const ZUnitOfficers = z.object({ officers: z.array(ZUnitOfficer) })

export const ZAssignment = z.object({
  id: z.uuid(),
  areaId: z.uuid(),
  officer: ZOfficerSummary,
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  isCurrent: z.boolean(),
})
export type TAssignment = z.infer<typeof ZAssignment>

export const ZAreaDetail = z.object({
  area: ZUnitListItem,
  unit: ZUnitSummary,
  assignments: z.array(ZAssignment),
  can: z.object({ update: z.boolean(), assign: z.boolean() }),
})
export type TAreaDetail = z.infer<typeof ZAreaDetail>

const count = z.number().int().min(0).max(10_000_000)
export const ZCreateArea = z
  .object({
    name: z.string().trim().min(1).max(200),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      .max(80)
      .optional(),
    kind: z.string().max(40).optional(),
    address: z.string().trim().max(500).nullable().optional(),
    householdCount: count.nullable().optional(),
    residentCount: count.nullable().optional(),
  })
  .strict()
export type TCreateArea = z.infer<typeof ZCreateArea>
export const ZUpdateArea = ZCreateArea.omit({ slug: true }).partial().strict()
export type TUpdateArea = z.infer<typeof ZUpdateArea>

/** A date ("2026-03-01", midnight in Việt Nam) or a full ISO date-time. */
const when = z.union([z.iso.date(), z.iso.datetime({ offset: true })])
export const ZCreateAssignment = z
  .object({ officerId: z.uuid(), startsAt: when.optional(), endsAt: when.nullable().optional() })
  .strict()
export type TCreateAssignment = z.infer<typeof ZCreateAssignment>
export const ZEndAssignment = z.object({ endsAt: when.optional() }).strict()
export type TEndAssignment = z.infer<typeof ZEndAssignment>
export const ZAssignmentResult = z.object({ assignment: ZAssignment, previousOfficerId: z.uuid().nullable() })
