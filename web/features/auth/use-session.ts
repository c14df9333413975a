import { type TSessionUser, ZSessionResponse } from '@common/schemas/auth'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { apiFetch } from '../../api/client'
import { onRealtimeSessionEnded, reconnectRealtime } from '../../api/realtime'

export const sessionQueryKey = ['auth', 'session'] as const

/** Who is signed in on this browser: the session user, or null. */
export function useSession() {
  const queryClient = useQueryClient()
  // Signed out elsewhere ("sign out other browsers", account deleted): the server closes the socket,
  // and the page asks again who is signed in instead of showing stale data.
  useEffect(
    () => onRealtimeSessionEnded(() => void queryClient.invalidateQueries({ queryKey: sessionQueryKey })),
    [queryClient],
  )
  return useQuery({
    queryKey: sessionQueryKey,
    queryFn: async (): Promise<TSessionUser | null> =>
      (await apiFetch('/api/auth/session', { schema: ZSessionResponse })).user,
    staleTime: 60_000,
  })
}

/** Signs out here and forgets every cached answer that belonged to the signed-in user. */
export function useSignOut() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => apiFetch<void>('/api/auth/sign-out', { method: 'POST' }),
    onSettled: () => {
      queryClient.clear()
      queryClient.setQueryData(sessionQueryKey, null)
      reconnectRealtime()
    },
  })
}

/** After a sign-in response: the new session user replaces whatever was cached. */
export function useAfterSignIn() {
  const queryClient = useQueryClient()
  return (user: TSessionUser) => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' })
    queryClient.setQueryData(sessionQueryKey, user)
    // The socket opened before sign-in is anonymous: a new one carries the new session.
    reconnectRealtime()
  }
}

/** Only same-site paths are followed after sign-in, never an absolute URL from the query string. */
export function safeNext(next: string | null, fallback: string): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback
}
