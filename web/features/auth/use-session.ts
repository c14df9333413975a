import { type TSessionUser, ZSessionResponse } from '@common/schemas/auth'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

export const sessionQueryKey = ['auth', 'session'] as const

/** Who is signed in on this browser: the session user, or null. */
export function useSession() {
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
    },
  })
}

/** After a sign-in response: the new session user replaces whatever was cached. */
export function useAfterSignIn() {
  const queryClient = useQueryClient()
  return (user: TSessionUser) => {
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' })
    queryClient.setQueryData(sessionQueryKey, user)
  }
}

/** Only same-site paths are followed after sign-in, never an absolute URL from the query string. */
export function safeNext(next: string | null, fallback: string): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback
}
