import { z } from 'zod'

/** A resident as their officer or commander sees them (personal data: every read is audited). */
export const ZResident = z.object({
  id: z.uuid(),
  displayName: z.string(),
  fullName: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  area: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
})
export type TResident = z.infer<typeof ZResident>

export const ZResidentList = z.object({ items: z.array(ZResident) })

/** Optional "why" a staff member gives; written to the audit log. */
export const ZAccessReason = z.object({ reason: z.string().trim().max(200).optional() })
