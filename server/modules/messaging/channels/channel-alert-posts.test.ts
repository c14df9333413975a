import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { channelAlertPosts, jobs } from '../../../db/schema/index'
import { buildAlertsWorld, buildMessengerAccount } from '../../../test/factories/index'
import { FakeGraphApi, graphErrors } from '../../../test/fakes/fake-graph-api'
import { createTestApp, type TestContext } from '../../../test/test-app'
import { as, drainJobs, foundPerson, publish } from '../../alerts/alerts.test-helpers'
import {
  ALERT_POST_QUEUE,
  ALERT_REACH_QUEUE,
  type AlertPostJob,
  type AlertReachJob,
} from './channel-alert-posts.service'

let t: TestContext
const graph = new FakeGraphApi()
beforeAll(async () => {
  const url = await graph.start()
  t = await createTestApp({ MESSENGER_GRAPH_URL: url, MESSENGER_GRAPH_VERSION: 'v23.0' })
})
afterAll(async () => {
  await t.close()
  await graph.stop()
})

/** A ward with its Facebook Page connected (a valid token unless told otherwise). */
async function world(opts: { tokenValid?: boolean } = {}) {
  const w = await buildAlertsWorld(t.db)
  const page = await buildMessengerAccount(t.db, t.config.CHANNEL_SECRET_KEY, { unit: w.ward })
  if (opts.tokenValid !== false) graph.validTokens.add(page.secrets.accessToken)
  return { ...w, page }
}
type World = Awaited<ReturnType<typeof world>>

/** An alert to the officer's own areas: live at once, no approval. */
const ownAreas = (w: World, over = {}) =>
  publish(t.app, w.officer, foundPerson({ scope: { kind: 'areas', unitIds: [w.area.id] }, ...over }))

const postsOn = (w: World) => graph.feedPosts.filter((p) => p.pageId === w.page.account.externalId)
const rowsOf = (alertId: string) =>
  t.db
    .select()
    .from(channelAlertPosts)
    .where(eq(channelAlertPosts.alertId, alertId))
    .orderBy(asc(channelAlertPosts.version))

async function staffView(w: World, id: string) {
  const res = await (await as(t.app, w.officer)).call('GET', `/api/alerts/${id}`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('public alerts on the unit Page', () => {
  it('posts a public alert once to the Page feed with its share link, and the staff view says so', async () => {
    const w = await world()
    const alert = await ownAreas(w)
    expect(alert.state).toBe('active')
    await drainJobs(t)
    await drainJobs(t)
    const posts = postsOn(w)
    expect(posts).toHaveLength(1)
    expect(posts[0]!.accessToken).toBe(w.page.secrets.accessToken)
    expect(posts[0]!.message).toContain(foundPerson().headline)
    expect(posts[0]!.link).toBe(`${t.config.PUBLIC_URL}/alerts/${alert.id}/share`)
    const [row] = await rowsOf(alert.id)
    expect(row).toMatchObject({ status: 'posted', externalPostId: posts[0]!.id })
    expect(row!.postedAt).toBeInstanceOf(Date)
    const view = await staffView(w, alert.id)
    expect(view.channelPosts).toEqual([
      {
        channel: 'messenger',
        accountName: expect.any(String),
        version: 1,
        msgType: 'Alert',
        status: 'posted',
        postedAt: expect.any(String),
        errorKey: null,
        reach: null,
        reachReadAt: null,
        reachErrorKey: null,
      },
    ])
  })

  it('retries a post Facebook failed for a moment, and a job run again never posts twice', async () => {
    const w = await world()
    const before = graph.feedCalls
    graph.failNext(graphErrors.serverError)
    const alert = await ownAreas(w)
    await drainJobs(t)
    expect(graph.feedCalls - before).toBe(2)
    expect(postsOn(w)).toHaveLength(1)
    // The same job delivered again (a worker lost after posting): the posted row stops it.
    await t.jobs.enqueue<AlertPostJob>(ALERT_POST_QUEUE, {
      alertId: alert.id,
      accountId: w.page.account.id,
      message: 'again',
      link: 'again',
    })
    await drainJobs(t)
    expect(graph.feedCalls - before).toBe(2)
    expect(postsOn(w)).toHaveLength(1)
    expect(await rowsOf(alert.id)).toHaveLength(1)
  })

  it('does not post a Restricted alert', async () => {
    const w = await world()
    const alert = await ownAreas(w, { capScope: 'Restricted' })
    expect(alert.state).toBe('active')
    await drainJobs(t)
    expect(postsOn(w)).toHaveLength(0)
    expect(await rowsOf(alert.id)).toEqual([])
    expect((await staffView(w, alert.id)).channelPosts).toEqual([])
  })

  it('records an expired page token as a failure, without retrying', async () => {
    const w = await world({ tokenValid: false })
    const before = graph.feedCalls
    const alert = await ownAreas(w)
    await drainJobs(t)
    expect(graph.feedCalls - before).toBe(1)
    expect(postsOn(w)).toHaveLength(0)
    const [row] = await rowsOf(alert.id)
    expect(row).toMatchObject({ status: 'failed', errorKey: 'channels.error.token_invalid', postedAt: null })
    expect((await staffView(w, alert.id)).channelPosts[0]).toMatchObject({
      channel: 'messenger',
      status: 'failed',
      errorKey: 'channels.error.token_invalid',
    })
  })
})

/** A day passes: the jobs that wait for it (the reach reads) are due now. */
async function aDayLater() {
  await t.db
    .update(jobs)
    .set({ runAt: new Date() })
    .where(and(eq(jobs.queue, ALERT_REACH_QUEUE), eq(jobs.status, 'pending')))
}

describe('updates and the cancellation of a public alert on the Page', () => {
  it('posts each once, worded as the group posts are, under the same share link', async () => {
    const w = await world()
    const alert = await ownAreas(w)
    await drainJobs(t)
    const officer = await as(t.app, w.officer)
    const update = await officer.call('POST', `/api/alerts/${alert.id}/updates`, {
      note: 'Cháu bé đang ở trụ sở công an phường, gia đình đến nhận.',
    })
    expect(update.statusCode, update.body).toBe(200)
    await drainJobs(t)
    const cancel = await officer.call('POST', `/api/alerts/${alert.id}/cancel`, {
      note: 'Gia đình đã đón cháu về.',
    })
    expect(cancel.statusCode, cancel.body).toBe(200)
    await drainJobs(t)
    await drainJobs(t)

    const { headline } = foundPerson()
    const link = `${t.config.PUBLIC_URL}/alerts/${alert.id}/share`
    expect(postsOn(w).map((p) => [p.message, p.link])).toEqual([
      [expect.stringContaining(headline), link],
      [`[Cập nhật] ${headline}\n\nCháu bé đang ở trụ sở công an phường, gia đình đến nhận.`, link],
      [`[Đã hủy] ${headline}\n\nGia đình đã đón cháu về.`, link],
    ])
    const rows = await rowsOf(alert.id)
    expect(rows.map((r) => [r.version, r.msgType, r.status])).toEqual([
      [1, 'Alert', 'posted'],
      [2, 'Update', 'posted'],
      [3, 'Cancel', 'posted'],
    ])
    expect(rows.map((r) => r.externalPostId)).toEqual(postsOn(w).map((p) => p.id))

    // The update's job delivered again (a worker lost after posting): nothing more on the Page.
    await t.jobs.enqueue<AlertPostJob>(ALERT_POST_QUEUE, {
      alertId: alert.id,
      accountId: w.page.account.id,
      version: 2,
      message: 'again',
      link,
    })
    await drainJobs(t)
    expect(postsOn(w)).toHaveLength(3)
    expect((await staffView(w, alert.id)).channelPosts.map((p: { msgType: string }) => p.msgType)).toEqual([
      'Alert',
      'Update',
      'Cancel',
    ])
  })

  it("waits for the alert's own post, so the update never comes first on the Page", async () => {
    const w = await world()
    graph.failNext(graphErrors.serverError)
    const alert = await ownAreas(w)
    // Updated before any job ran: the alert's post fails once while the update's job is due.
    const officer = await as(t.app, w.officer)
    await officer.call('POST', `/api/alerts/${alert.id}/updates`, { note: 'Đã có thông tin mới.' })
    await drainJobs(t)
    await drainJobs(t)
    const posts = postsOn(w)
    expect(posts).toHaveLength(2)
    expect(posts[0]!.message).not.toContain('[Cập nhật]')
    expect(posts[1]!.message).toContain('[Cập nhật]')
  })

  it('posts no update of an alert that never went to the Page (a Restricted one)', async () => {
    const w = await world()
    const alert = await ownAreas(w, { capScope: 'Restricted' })
    await drainJobs(t)
    await (await as(t.app, w.officer)).call('POST', `/api/alerts/${alert.id}/cancel`, { note: 'Đã xong.' })
    await drainJobs(t)
    expect(postsOn(w)).toHaveLength(0)
    expect(await rowsOf(alert.id)).toEqual([])
  })
})

describe('the reach of a post, read back from the Page insights', () => {
  it('is read once, a day after posting, and the staff view shows it beside "posted at"', async () => {
    const w = await world()
    const alert = await ownAreas(w)
    await drainJobs(t)
    const [post] = postsOn(w)
    graph.reach.set(post!.id, 1_234)
    const calls = () => graph.insightsCalls.filter((c) => c.postId === post!.id)
    // Not read at once: Meta's figures come in over the day.
    await drainJobs(t)
    expect(calls()).toHaveLength(0)
    expect((await staffView(w, alert.id)).channelPosts[0]).toMatchObject({ reach: null, reachReadAt: null })

    await aDayLater()
    await drainJobs(t)
    expect(calls()).toEqual([
      { postId: post!.id, metric: 'post_total_media_view_unique', accessToken: w.page.secrets.accessToken },
    ])
    const view = (await staffView(w, alert.id)).channelPosts[0]
    expect(view).toMatchObject({ status: 'posted', reach: 1_234, reachErrorKey: null })
    expect(Date.parse(view.reachReadAt)).toBeGreaterThanOrEqual(Date.parse(view.postedAt))

    // The read job delivered again: the figure stands, Facebook is not asked twice.
    const [row] = await rowsOf(alert.id)
    await t.jobs.enqueue<AlertReachJob>(ALERT_REACH_QUEUE, { postId: row!.id })
    await drainJobs(t)
    expect(calls()).toHaveLength(1)
  })

  it('retries a passing Facebook failure, and a Page with no figure yet says so', async () => {
    const w = await world()
    const alert = await ownAreas(w)
    await drainJobs(t)
    const [post] = postsOn(w)
    graph.failNext(graphErrors.serverError)
    await aDayLater()
    await drainJobs(t)
    expect(graph.insightsCalls.filter((c) => c.postId === post!.id)).toHaveLength(2)
    // No entry in the fake: `data: []`, as for a Page under 100 likes.
    expect((await staffView(w, alert.id)).channelPosts[0]).toMatchObject({
      reach: null,
      reachReadAt: expect.any(String),
      reachErrorKey: null,
    })
  })

  it.each([
    ['the token lacks read_insights', graphErrors.missingInsightsPermission, 'channels.error.refused'],
    ['a metric Meta retired', graphErrors.invalidMetric, 'channels.error.refused'],
    ['an expired token', graphErrors.tokenExpired, 'channels.error.token_invalid'],
  ])('records why there is no figure when %s, without retrying', async (_, failure, errorKey) => {
    const w = await world()
    const alert = await ownAreas(w)
    await drainJobs(t)
    const [post] = postsOn(w)
    graph.reach.set(post!.id, 99)
    graph.failNext(failure)
    await aDayLater()
    await drainJobs(t)
    expect(graph.insightsCalls.filter((c) => c.postId === post!.id)).toHaveLength(1)
    expect((await staffView(w, alert.id)).channelPosts[0]).toMatchObject({
      status: 'posted',
      reach: null,
      reachReadAt: expect.any(String),
      reachErrorKey: errorKey,
    })
  })
})
