import type {
  TCannedRepliesList,
  TCannedReplyItem,
  TCreateCannedReplyRequest,
  TUpdateCannedReplyRequest,
} from '@common/schemas/messaging'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const cannedKeys = {
  list: ['messaging', 'canned-replies'] as const,
}

/** The officer's own canned replies and those shared with their units (issue 19, point 2). */
export const useCannedReplies = () =>
  useQuery({
    queryKey: cannedKeys.list,
    queryFn: () => apiFetch<TCannedRepliesList>('/api/canned-replies'),
  })

/** Create, edit and delete; each refreshes the list and every conversation's picker. */
export function useCannedMutations() {
  const qc = useQueryClient()
  const refresh = () =>
    Promise.all([
      qc.invalidateQueries({ queryKey: cannedKeys.list }),
      qc.invalidateQueries({ queryKey: ['messaging', 'canned'] }),
    ])
  return {
    create: useMutation({
      mutationFn: (body: TCreateCannedReplyRequest) =>
        apiFetch<TCannedReplyItem>('/api/canned-replies', { method: 'POST', body }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ id, ...body }: TUpdateCannedReplyRequest & { id: string }) =>
        apiFetch<TCannedReplyItem>(`/api/canned-replies/${id}`, { method: 'PATCH', body }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (id: string) => apiFetch<void>(`/api/canned-replies/${id}`, { method: 'DELETE' }),
      onSuccess: refresh,
    }),
  }
}
