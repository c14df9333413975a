import type { TOfficerPhoto, TPendingOfficerPhoto } from '@common/schemas/officer-photos'
import type { OfficerPhotoRow } from './officer-photos.repository'

/** The image's address; `users.photo_url` holds it once approved, so it never changes for a photo. */
export const officerPhotoPath = (id: string) => `/api/officer-photos/${id}`

export const presentOfficerPhoto = (p: OfficerPhotoRow): TOfficerPhoto => ({
  id: p.id,
  state: p.state,
  url: officerPhotoPath(p.id),
  createdAt: p.createdAt.toISOString(),
  decidedAt: p.decidedAt?.toISOString() ?? null,
  refusalReason: p.refusalReason,
})

export const presentPendingOfficerPhoto = (r: {
  photo: OfficerPhotoRow
  officer: {
    id: string
    displayName: string
    fullName: string | null
    rank: string | null
    title: string | null
    photoUrl: string | null
  }
  unit: { id: string; name: string }
}): TPendingOfficerPhoto => ({
  ...presentOfficerPhoto(r.photo),
  officer: {
    id: r.officer.id,
    name: r.officer.fullName ?? r.officer.displayName,
    rank: r.officer.rank,
    title: r.officer.title,
  },
  unit: r.unit,
  publishedUrl: r.officer.photoUrl,
})
