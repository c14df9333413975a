import { z } from 'zod'

/** One photo an officer sent of themselves, as its owner or a commander deciding on it sees it. */
export const ZOfficerPhoto = z.object({
  id: z.uuid(),
  state: z.enum(['pending', 'approved', 'refused', 'replaced', 'withdrawn']),
  /** The image: public once approved; before that only its owner and the commanders who decide. */
  url: z.string(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  refusalReason: z.string().nullable(),
})
export type TOfficerPhoto = z.infer<typeof ZOfficerPhoto>

/** The staff account page: the photo residents see now, and the latest one sent if it is not that one. */
export const ZMyOfficerPhoto = z.object({
  /** Only officers and commanders (the people in the directory) have a photo. */
  canSubmit: z.boolean(),
  published: ZOfficerPhoto.nullable(),
  latest: ZOfficerPhoto.nullable(),
})
export type TMyOfficerPhoto = z.infer<typeof ZMyOfficerPhoto>

export const ZPendingOfficerPhoto = ZOfficerPhoto.extend({
  officer: z.object({
    id: z.uuid(),
    name: z.string(),
    rank: z.string().nullable(),
    title: z.string().nullable(),
  }),
  unit: z.object({ id: z.uuid(), name: z.string() }),
  /** The photo residents see now, which stays until this one is approved. */
  publishedUrl: z.string().nullable(),
})
export type TPendingOfficerPhoto = z.infer<typeof ZPendingOfficerPhoto>

export const ZPendingOfficerPhotoList = z.object({ items: z.array(ZPendingOfficerPhoto) })
export type TPendingOfficerPhotoList = z.infer<typeof ZPendingOfficerPhotoList>

export const ZRefuseOfficerPhoto = z.object({ reason: z.string().trim().min(3).max(300) })
export type TRefuseOfficerPhoto = z.infer<typeof ZRefuseOfficerPhoto>
