import { createHash } from 'node:crypto'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryRows } from '../db/query'
import { retentionRules } from '../modules/retention/retention.rules'
import { runRule } from '../modules/retention/retention.service'
import { fakeMp4, jpegWithExif, multipart, newKey } from '../modules/tips/tips.test-support'
import { STORAGE_DELETE_QUEUE } from '../storage/durable-deletes'
import { S3FileStorage } from '../storage/s3-file-storage'
import { signInAs } from './auth-helpers'
import {
  buildArea,
  buildCommander,
  buildEvidence,
  buildOfficer,
  buildResident,
  buildTip,
  buildWard,
} from './factories/index'
import { type FakeS3, startFakeS3 } from './fakes/fake-s3'
import { createTestApp, type TestContext } from './test-app'

/**
 * Several instances, no shared disk (issue 16): with S3_* set, a tip's photo and clip go to the
 * bucket, staff read them through the server (authorised, audited), and quarantine and retention
 * delete them from the bucket. The bucket is looked into with a client of its own, not the app's.
 */
let s3: FakeS3
let t: TestContext
let bucket: S3Client
beforeAll(async () => {
  s3 = await startFakeS3()
  t = await createTestApp(s3.env)
  bucket = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: s3.env.S3_ACCESS_KEY_ID!, secretAccessKey: s3.env.S3_SECRET_ACCESS_KEY! },
  })
})
afterAll(async () => {
  bucket?.destroy()
  await t?.close()
  await s3?.close()
})

const keysInBucket = async () => {
  const res = await bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket }))
  return new Set((res.Contents ?? []).map((o) => o.Key))
}

const filesOf = (tipId: string) =>
  queryRows<{ id: string; kind: string; sha256: string; storage_key: string; thumb_key: string | null }>(
    t.db,
    sql`select id, kind, sha256, storage_key, thumb_key from evidence_files where tip_id = ${tipId} order by kind`,
  )

async function tipWithPhotoAndClip() {
  const ward = await buildWard(t.db)
  const area = await buildArea(t.db, { parent: ward })
  const { user: officer } = await buildOfficer(t.db, { unit: ward, areas: [area] })
  const resident = await buildResident(t.db, { area })
  const session = await signInAs(t.app, resident)
  const form = multipart({ category: 'suspicious_vehicle', description: 'Xe lạ đỗ trước ngõ 12 cả đêm' }, [
    { data: fakeMp4(300_000), filename: 'clip.mp4', contentType: 'video/mp4' },
    { data: await jpegWithExif(), filename: 'xe.jpg', contentType: 'image/jpeg' },
  ])
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/tips',
    payload: form.payload,
    headers: { ...session.headers, ...form.headers, 'idempotency-key': newKey() },
  })
  expect(res.statusCode, res.body).toBe(201)
  return { ward, officer, tipId: res.json().tip.id as string }
}

describe('files in S3-compatible object storage', () => {
  it('runs on the bucket, not the disk', () => {
    expect(t.storage).toBeInstanceOf(S3FileStorage)
  })

  it('a resident’s photo and clip land in the bucket; the officer reads them through the server, audited', async () => {
    const { officer, tipId } = await tipWithPhotoAndClip()
    const files = await filesOf(tipId)
    expect(files.map((f) => f.kind)).toEqual(['photo', 'video'])
    const inBucket = await keysInBucket()
    for (const f of files) {
      expect(inBucket.has(f.storage_key), f.storage_key).toBe(true)
      if (f.thumb_key) expect(inBucket.has(f.thumb_key), f.thumb_key).toBe(true)
    }
    expect(files[0]!.thumb_key).toBeTruthy()

    const officerSession = await signInAs(t.app, officer)
    for (const f of files) {
      const res = await t.app.inject({ url: `/api/evidence/${f.id}`, headers: officerSession.headers })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['x-evidence-sha256']).toBe(f.sha256)
      expect(createHash('sha256').update(res.rawPayload).digest('hex')).toBe(f.sha256)
    }
    const thumb = await t.app.inject({
      url: `/api/evidence/${files[0]!.id}/thumb`,
      headers: officerSession.headers,
    })
    expect(thumb.statusCode).toBe(200)
    expect(thumb.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]))
    const reads = await queryRows<{ entity_id: string }>(
      t.db,
      sql`select entity_id from audit_log where action = 'evidence.read' and actor_id = ${officer.id}`,
    )
    expect(new Set(reads.map((r) => r.entity_id))).toEqual(new Set(files.map((f) => f.id)))
  })

  it('quarantine deletes the bytes from the bucket; the record and hash stay', async () => {
    const { ward, officer, tipId } = await tipWithPhotoAndClip()
    const files = await filesOf(tipId)
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/tips/${tipId}/quarantine`,
      payload: { reason: 'Gửi lặp lại, nội dung quảng cáo' },
      headers: (await signInAs(t.app, commander)).headers,
    })
    expect(res.statusCode, res.body).toBe(200)
    const inBucket = await keysInBucket()
    for (const f of files) {
      expect(inBucket.has(f.storage_key), f.storage_key).toBe(false)
      if (f.thumb_key) expect(inBucket.has(f.thumb_key), f.thumb_key).toBe(false)
    }
    expect((await filesOf(tipId)).map((f) => f.sha256)).toEqual(files.map((f) => f.sha256))
    const served = await t.app.inject({
      url: `/api/evidence/${files[0]!.id}`,
      headers: (await signInAs(t.app, officer)).headers,
    })
    expect(served.statusCode).toBe(404)
  })

  it('a delete the bucket misses (out of reach) is retried by the job queue until the bytes are gone', async () => {
    const { ward, tipId } = await tipWithPhotoAndClip()
    const files = await filesOf(tipId)
    const keys = files.flatMap((f) => [f.storage_key, ...(f.thumb_key ? [f.thumb_key] : [])])
    const { user: commander } = await buildCommander(t.db, { unit: ward })
    const session = await signInAs(t.app, commander)
    await s3.pause()
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/tips/${tipId}/quarantine`,
        payload: { reason: 'Gửi lặp lại khi kho lưu trữ gián đoạn' },
        headers: session.headers,
      })
      expect(res.statusCode, res.body).toBe(200)
    } finally {
      await s3.resume()
    }
    // The bucket was out of reach: the bytes are still there, and one job per key waits to delete them.
    const before = await keysInBucket()
    for (const k of keys) expect(before.has(k), k).toBe(true)
    const queued = await queryRows<{ key: string }>(
      t.db,
      sql`select payload->>'key' as key from jobs where queue = ${STORAGE_DELETE_QUEUE} and status <> 'succeeded'`,
    )
    expect(queued.map((q) => q.key).sort()).toEqual([...keys].sort())

    await t.jobs.drain()
    const after = await keysInBucket()
    for (const k of keys) expect(after.has(k), k).toBe(false)
  })

  it('the retention run deletes a closed tip’s evidence from the bucket after 24 months, not a young one’s', async () => {
    const area = await buildArea(t.db)
    const now = new Date()
    const clock = new Date(now.getTime() + 25 * 30.5 * 86_400_000) // 25 months later
    const oldTip = await buildTip(t.db, { area, description: 'Tin báo đã đóng', closedAt: now })
    const youngTip = await buildTip(t.db, {
      area,
      description: 'Tin báo mới',
      createdAt: new Date(clock.getTime() - 30 * 86_400_000),
    })
    const stored = async (tipId: string) => {
      const put = await t.storage.put(`retention/${tipId}.jpg`, Buffer.from(`ảnh của ${tipId}`))
      return buildEvidence(t.db, { tipId, storageKey: put.key, sha256: put.sha256, size: put.size })
    }
    const oldFile = await stored(oldTip.id)
    const youngFile = await stored(youngTip.id)
    expect(await keysInBucket()).toContain(oldFile.storageKey)

    const rule = retentionRules.find((r) => r.name === 'tips')!
    expect(await runRule({ db: t.db, storage: t.storage, now: () => clock }, rule)).toBeGreaterThanOrEqual(1)
    const inBucket = await keysInBucket()
    expect(inBucket.has(oldFile.storageKey)).toBe(false)
    expect(inBucket.has(youngFile.storageKey)).toBe(true)
  })
})
