import {
  type TOfficerPhoto,
  ZMyOfficerPhoto,
  ZOfficerPhoto,
  ZPendingOfficerPhotoList,
} from '@common/schemas/officer-photos'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const officerPhotoKeys = {
  mine: ['me', 'photo'] as const,
  pending: ['officer-photos', 'pending'] as const,
}

export const useMyOfficerPhoto = () =>
  useQuery({
    queryKey: officerPhotoKeys.mine,
    queryFn: () => apiFetch('/api/me/photo', { schema: ZMyOfficerPhoto }),
  })

export function useSendOfficerPhoto() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData()
      form.append('file', file, file.name)
      return apiFetch<TOfficerPhoto>('/api/me/photo', { method: 'POST', body: form })
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: officerPhotoKeys.mine }),
  })
}

/** Commanders: the photos waiting for their decision. */
export const usePendingOfficerPhotos = (enabled: boolean) =>
  useQuery({
    queryKey: officerPhotoKeys.pending,
    queryFn: () => apiFetch('/api/staff/officer-photos/pending', { schema: ZPendingOfficerPhotoList }),
    enabled,
  })

export function useDecideOfficerPhoto() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason?: string }) =>
      apiFetch(`/api/staff/officer-photos/${id}/${reason === undefined ? 'approve' : 'refuse'}`, {
        method: 'POST',
        ...(reason === undefined ? {} : { body: { reason } }),
        schema: ZOfficerPhoto,
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: officerPhotoKeys.pending }),
  })
}
