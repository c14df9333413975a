import {
  buildArea,
  buildCommander,
  buildOfficer,
  buildWard,
  buildZaloAccount,
} from '../../../test/factories/index'
import type { FakeZaloApi } from '../../../test/fakes/fake-zalo-api'
import type { TestContext } from '../../../test/test-app'
import { zaloSignature } from './zalo.adapter'

/**
 * A ward with one area, its officer and commander, and its connected OA (token known to the fake);
 * and helpers that post signed webhook events as Zalo does. For the channel tests of this folder.
 */
export async function zaloWorld(t: TestContext, zalo: FakeZaloApi) {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward, name: 'Tổ dân phố 3' })
  const officer = (await buildOfficer(t.db, { areas: [area], unit: ward })).user
  const commander = (await buildCommander(t.db, { unit: ward })).user
  const { account, secrets } = await buildZaloAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: ward })
  zalo.validTokens.add(secrets.accessToken)
  return { ward, area, officer, commander, account, secrets }
}
export type ZaloWorld = Awaited<ReturnType<typeof zaloWorld>>

let seq = 0
export const zaloUser = () => `84${Date.now() % 1_000_000_000}${++seq}`

/** A webhook body: a user_send_* event with `message`, or a follow event (with an AREA: source). */
export function zaloEvent(
  w: ZaloWorld,
  userId: string,
  eventName: string,
  message: Record<string, unknown> | null,
  opts: { at?: number; source?: string } = {},
) {
  return {
    app_id: w.account.appId,
    event_name: eventName,
    timestamp: String(opts.at ?? Date.now()),
    ...(message
      ? {
          sender: { id: userId },
          recipient: { id: w.account.externalId },
          message: { msg_id: `zmsg-${Date.now()}-${++seq}`, ...message },
        }
      : { oa_id: w.account.externalId, follower: { id: userId }, source: opts.source ?? 'oa_profile' }),
  }
}

export function deliverZalo(t: TestContext, w: ZaloWorld, body: { timestamp: string }) {
  const raw = JSON.stringify(body)
  return t.app.inject({
    method: 'POST',
    url: `/api/channels/zalo/${w.account.id}/webhook`,
    headers: {
      'content-type': 'application/json',
      'x-zevent-signature': zaloSignature(w.account.appId, raw, body.timestamp, w.secrets.oaSecret),
    },
    payload: raw,
  })
}

export async function drainJobs(t: TestContext) {
  while ((await t.jobs.drain()) > 0) {}
}

/** A follower from the poster QR of the area (source AREA:<slug>): routed at once. */
export async function routedZaloFollower(t: TestContext, w: ZaloWorld) {
  const userId = zaloUser()
  await deliverZalo(t, w, zaloEvent(w, userId, 'follow', null, { source: `AREA:${w.area.slug}` }))
  await drainJobs(t)
  return userId
}
