import type {
  TCreateScamReportRequest,
  TScamNumberPage,
  TStaffScamReport,
} from '@common/schemas/scam-numbers'
import { ZMyScamReport } from '@common/schemas/scam-numbers'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { z } from 'zod'
import { apiFetch } from '../../api/client'

export const scamKeys = {
  page: (phone: string) => ['scam-numbers', 'page', phone] as const,
  queue: (status: string) => ['scam-numbers', 'queue', status] as const,
}

const ZSubmitted = z.object({ report: ZMyScamReport, created: z.boolean() })

/** Sends a report once: the client key is made when the form opens, so a double tap is one report. */
export function useReportScam() {
  return useMutation({
    mutationFn: (body: TCreateScamReportRequest) =>
      apiFetch('/api/scam-numbers/reports', {
        method: 'POST',
        body,
        schema: ZSubmitted,
        idempotencyKey: body.clientKey,
      }),
  })
}

/** A verified number's public page (404 for a number nobody verified). */
export const useScamNumberPage = (phone: string) =>
  useQuery({
    queryKey: scamKeys.page(phone),
    queryFn: () => apiFetch<TScamNumberPage>(`/api/scam-numbers/numbers/${encodeURIComponent(phone)}`),
    retry: false,
  })

export const useScamQueue = (status: string) =>
  useQuery({
    queryKey: scamKeys.queue(status),
    queryFn: async () =>
      (await apiFetch<{ items: TStaffScamReport[] }>(`/api/scam-numbers/queue?status=${status}`)).items,
  })

export function useScamReview() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'verify' | 'reject' }) =>
      apiFetch<TStaffScamReport>(`/api/scam-numbers/reports/${id}/review`, {
        method: 'POST',
        body: { decision },
      }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['scam-numbers'] }),
  })
}

export function useRaiseScamAlert() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (phone: string) =>
      apiFetch<{ alertId: string; state: string; created: boolean }>(
        `/api/scam-numbers/numbers/${encodeURIComponent(phone)}/alert`,
        { method: 'POST' },
      ),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['scam-numbers'] }),
  })
}

/** "+84701234567" → "0701234567": the form of the public page's address. */
export const nationalOf = (e164: string) => e164.replace(/^\+84/, '0')
