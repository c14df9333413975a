import { z } from 'zod'

export const ZProfile = z.object({
  id: z.uuid(),
  kind: z.enum(['resident', 'staff']),
  displayName: z.string(),
  fullName: z.string().nullable(),
  /** The resident's own number (+84…); shown only to themselves. */
  phone: z.string().nullable(),
  area: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  address: z.string().nullable(),
  locale: z.enum(['vi', 'en']),
  largeText: z.boolean(),
  /** Resident: also receive by SMS the alerts of the kinds their unit sends by SMS. */
  smsAlerts: z.boolean(),
  createdAt: z.string(),
})
export type TProfile = z.infer<typeof ZProfile>

export const ZUpdateProfile = z
  .object({
    displayName: z.string().trim().min(1).max(80),
    fullName: z.string().trim().max(120).nullable(),
    /** A residential group, chosen from the list, a QR link or an address search. */
    areaId: z.uuid().nullable(),
    /** The same, by the area's public slug (directory search results and QR links carry slugs). */
    areaSlug: z.string().trim().min(1).max(120),
    address: z.string().trim().max(300).nullable(),
    locale: z.enum(['vi', 'en']),
    largeText: z.boolean(),
    smsAlerts: z.boolean(),
  })
  .partial()
export type TUpdateProfile = z.infer<typeof ZUpdateProfile>

export const ZOfficerCard = z.object({
  id: z.uuid(),
  displayName: z.string(),
  rank: z.string().nullable(),
  title: z.string().nullable(),
  photoUrl: z.string().nullable(),
  officialPhone: z.string().nullable(),
})
export type TOfficerCard = z.infer<typeof ZOfficerCard>

/** "My area and my officer". */
export const ZMyArea = z.object({
  area: z
    .object({
      id: z.uuid(),
      name: z.string(),
      unit: z
        .object({
          id: z.uuid(),
          name: z.string(),
          phone: z.string().nullable(),
          address: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  officers: z.array(ZOfficerCard),
})
export type TMyArea = z.infer<typeof ZMyArea>

export const ZSessionInfo = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  isCurrent: z.boolean(),
})
export type TSessionInfo = z.infer<typeof ZSessionInfo>
export const ZSessionList = z.object({ items: z.array(ZSessionInfo) })

/** What deleting the account keeps under a legal basis, listed before the resident confirms. */
export const ZDeletionPreview = z.object({
  /** One line per kept record the resident would recognise (a tip, a report, a conversation). */
  items: z.array(z.object({ module: z.string(), table: z.string(), id: z.uuid(), reason: z.string() })),
  /** Every kept record, including the parts of those above (thread messages, files, register rows). */
  records: z.array(z.object({ table: z.string(), id: z.uuid() })),
})
export type TDeletionPreview = z.infer<typeof ZDeletionPreview>

/** A staff member changes their own password (security review F20). */
export const ZChangePassword = z.object({
  currentPassword: z.string().min(1).max(200),
  /** At least 12 characters and not a common or breached password (checked by the server). */
  newPassword: z.string().min(1).max(200),
})
export type TChangePassword = z.infer<typeof ZChangePassword>
/** How many other sessions the change signed out. */
export const ZPasswordChanged = z.object({ ended: z.number().int() })
export const PASSWORD_MIN_LENGTH = 12
