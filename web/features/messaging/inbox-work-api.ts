import type { TGroupQuestionView } from '@common/schemas/messaging'
import type { TTipListItem } from '@common/schemas/tips'
import { useQuery } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'

/** Work in the officer's inbox besides direct conversations: tips, alert answers, group questions. */
export const inboxWorkKeys = {
  all: ['inbox-work'] as const,
  tips: ['inbox-work', 'tips'] as const,
  questions: ['inbox-work', 'group-questions'] as const,
}

/** Tips (and answers to alerts, which become tips) nobody has answered yet. */
export const useUnansweredTips = (enabled: boolean) =>
  useQuery({
    queryKey: inboxWorkKeys.tips,
    queryFn: async () =>
      (await apiFetch<TTipListItem[]>('/api/tips?filter=open')).filter((tip) => !tip.firstResponseAt),
    enabled,
  })

export const useGroupQuestions = (enabled: boolean) =>
  useQuery({
    queryKey: inboxWorkKeys.questions,
    queryFn: async () =>
      (await apiFetch<{ questions: TGroupQuestionView[] }>('/api/group-questions')).questions,
    enabled,
  })

/** A group's moderator passes a resident's message on to the police. */
export const askPolice = (messageId: string) =>
  apiFetch<void>(`/api/messages/${messageId}/ask-police`, { method: 'POST' })

export const markQuestionAnswered = (id: string) =>
  apiFetch<void>(`/api/group-questions/${id}/answered`, { method: 'POST' })
