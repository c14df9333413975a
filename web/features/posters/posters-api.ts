import { useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export interface TPosterListItem {
  area: { id: string; name: string; slug: string }
  poster: { code: string; scanUrl: string; createdAt: string; scans: number } | null
}

export const usePosterList = (unitId: string) =>
  useQuery({
    queryKey: ['posters', unitId],
    queryFn: () => apiFetch<TPosterListItem[]>(`/api/units/${unitId}/posters`),
  })

/** Plain links: the browser downloads or opens the file with the session cookie. */
export const unitPostersPdfUrl = (unitId: string, lang: string) =>
  `/api/units/${unitId}/posters.pdf?lang=${lang}`
export const areaPosterUrl = (areaId: string, format: 'pdf' | 'png' | 'svg', lang: string) =>
  `/api/areas/${areaId}/poster?format=${format}&lang=${lang}`
