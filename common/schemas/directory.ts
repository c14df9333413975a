import { z } from 'zod'
import { ZScamCallerCheckLine } from './scam-numbers'
import { ZText } from './text'

/** Public directory (no sign-in): only public staff data, never residents. */

export const ZPublicOfficer = z.object({
  id: z.uuid(),
  name: z.string(),
  rank: z.string().nullable(),
  title: z.string().nullable(),
  photoUrl: z.string().nullable(),
  /** +84… form; the web formats it for display. */
  officialPhone: z.string().nullable(),
  areas: z.array(z.object({ slug: z.string(), name: z.string() })),
})
export type TPublicOfficer = z.infer<typeof ZPublicOfficer>

export const ZPublicUnit = z.object({
  slug: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  level: z.string(),
  kind: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  householdCount: z.number().int().nullable(),
  residentCount: z.number().int().nullable(),
})
export type TPublicUnit = z.infer<typeof ZPublicUnit>

export const ZPublicArea = ZPublicUnit.extend({
  currentOfficer: ZPublicOfficer.omit({ areas: true }).nullable(),
})
export type TPublicArea = z.infer<typeof ZPublicArea>

export const ZDirectoryRoots = z.object({ units: z.array(ZPublicUnit) })

export const ZDirectoryUnit = z.object({
  unit: ZPublicUnit,
  ancestors: z.array(ZPublicUnit),
  /** Sub-units that are not areas (e.g. the communes of a province). */
  children: z.array(ZPublicUnit),
  areas: z.array(ZPublicArea),
  commanders: z.array(ZPublicOfficer),
  officers: z.array(ZPublicOfficer),
})
export type TDirectoryUnit = z.infer<typeof ZDirectoryUnit>

export const ZDirectoryArea = z.object({
  area: ZPublicArea,
  unit: ZPublicUnit,
  ancestors: z.array(ZPublicUnit),
  commanders: z.array(ZPublicOfficer),
})
export type TDirectoryArea = z.infer<typeof ZDirectoryArea>

export const ZDirectorySearchQuery = z.object({ q: ZText.trim().min(2).max(100) })
export const ZDirectorySearch = z.object({
  units: z.array(ZPublicArea.extend({ parent: z.object({ slug: z.string(), name: z.string() }).nullable() })),
  officers: z.array(
    ZPublicOfficer.extend({ unit: z.object({ slug: z.string(), name: z.string() }).nullable() }),
  ),
})
export type TDirectorySearch = z.infer<typeof ZDirectorySearch>

export const ZCheckPhoneRequest = z.object({ phone: z.string().max(40) })
export const ZCheckPhoneResult = z.discriminatedUnion('official', [
  z.object({
    official: z.literal(true),
    phone: z.string(),
    owner: z.object({
      kind: z.enum(['officer', 'unit']),
      name: z.string(),
      rank: z.string().nullable(),
      title: z.string().nullable(),
      photoUrl: z.string().nullable(),
      unit: z.object({ slug: z.string(), name: z.string() }).nullable(),
    }),
  }),
  z.object({
    official: z.literal(false),
    phone: z.string(),
    advice: z.array(z.object({ key: z.string(), text: z.string() })),
    /** Residents reported it and staff verified it: counts only, never who (issue 17.1). */
    scam: ZScamCallerCheckLine.nullable(),
  }),
])
export type TCheckPhoneResult = z.infer<typeof ZCheckPhoneResult>
