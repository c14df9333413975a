import type { TAlertView, TCreateAlertRequest } from '@common/schemas/alerts'
import { expect } from 'vitest'
import type { App } from '../../app'
import { signInAs } from '../../test/auth-helpers'
import type { startFakePushService } from '../../test/fakes/fake-push-service'
import type { TestContext } from '../../test/test-app'
import { pushRepository } from '../notifications/push.repository'

export type Who = { id: string; kind: 'resident' | 'staff' }

/** Calls the API as a user (session cookie + CSRF header). */
export async function as(app: App, user: Who | null) {
  const headers = user ? (await signInAs(app, user)).headers : {}
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
  return { headers, call }
}

export const foundPerson = (over: Partial<TCreateAlertRequest> = {}): TCreateAlertRequest => ({
  kind: 'found_person',
  headline: 'Tìm người thân cho cụ bà khoảng 80 tuổi',
  description:
    'Cụ bà tự giới thiệu tên Tám, nói đến thăm con ở phố Lò Đúc. Hiện cụ đang ở trụ sở Công an phường.',
  instruction: 'Ai nhận ra cụ, xin báo cho công an phường hoặc bấm "Tôi biết người này".',
  contact: 'Công an phường, 024 3978 1234',
  scope: { kind: 'unit_neighbours' },
  ...over,
})

/** Drafts and submits an alert as `author`; returns the view after submit. */
export async function publish(app: App, author: Who, body: TCreateAlertRequest): Promise<TAlertView> {
  const api = await as(app, author)
  const draft = await api.call('POST', '/api/alerts', body)
  expect(draft.statusCode, draft.body).toBe(201)
  const submitted = await api.call('POST', `/api/alerts/${draft.json().id}/submit`)
  expect(submitted.statusCode, submitted.body).toBe(200)
  return submitted.json()
}

/** Runs queued jobs until none is due. */
export async function drainJobs(t: TestContext): Promise<void> {
  for (let i = 0; i < 20 && (await t.jobs.drain()) > 0; i++);
}

/** Subscribes a user's device (a fake push service device named `device`) to Web Push. */
export async function subscribePush(
  t: TestContext,
  push: Awaited<ReturnType<typeof startFakePushService>>,
  userId: string,
  device: string,
) {
  const sub = push.addDevice(device)
  await pushRepository.upsert(t.db, {
    userId,
    endpoint: sub.endpoint,
    p256dh: sub.keys.p256dh,
    auth: sub.keys.auth,
  })
}
