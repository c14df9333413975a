import type { AuthzRequestContext } from '../../test/authz-types'
import { defineAuthz, roleSets } from '../../test/authz-types'
import { jpegWithExif, multipart } from '../tips/tips.test-support'
import { officerPhotosRepository } from './officer-photos.repository'

/** A fresh photo of the home ward's officer, waiting (or approved) for each role's call. */
async function photoOfHomeOfficer({ db, world }: AuthzRequestContext, state: 'pending' | 'approved') {
  const officer = world.users.officer
  await officerPhotosRepository.withdrawPending(db, officer.id)
  if (state === 'approved') await officerPhotosRepository.replacePublished(db, officer.id)
  return officerPhotosRepository.insert(db, {
    userId: officer.id,
    unitId: world.ward.id,
    unitPath: world.ward.path,
    state,
    storageKey: `officer-photos/${officer.id}/authz.jpg`,
    size: 1,
    sha256: '0',
  })
}

/** An officer's photo: sent by themselves, decided by a commander of their unit or above, then public. */
export const authzEntries = defineAuthz([
  { method: 'GET', route: '/api/me/photo', allow: roleSets.signedIn },
  {
    method: 'POST',
    route: '/api/me/photo',
    allow: ['officer', 'officerNeighbour', 'commander', 'commanderNeighbour'],
    note: 'the people in the directory; residents and administrators have no public photo',
    request: async () =>
      multipart({}, [{ data: await jpegWithExif(), filename: 'me.jpg', contentType: 'image/jpeg' }]),
  },
  {
    method: 'GET',
    route: '/api/staff/officer-photos/pending',
    allow: ['commander', 'commanderNeighbour'],
    note: 'commanders decide; each sees only the photos of their own subtree (tests)',
  },
  {
    method: 'POST',
    route: '/api/staff/officer-photos/:id/approve',
    allow: ['commander'],
    request: async (ctx) => ({
      url: `/api/staff/officer-photos/${(await photoOfHomeOfficer(ctx, 'pending')).id}/approve`,
    }),
  },
  {
    method: 'POST',
    route: '/api/staff/officer-photos/:id/refuse',
    allow: ['commander'],
    request: async (ctx) => ({
      url: `/api/staff/officer-photos/${(await photoOfHomeOfficer(ctx, 'pending')).id}/refuse`,
      payload: { reason: 'Ảnh bị mờ, xin gửi lại' },
    }),
  },
  {
    method: 'GET',
    route: '/api/officer-photos/:id',
    allow: roleSets.everyone,
    note: 'an approved photo is public (a pending one: its owner and commanders above, tests)',
    request: async (ctx) => {
      const photo = await photoOfHomeOfficer(ctx, 'approved')
      await ctx.app.deps.storage.put(photo.storageKey, await jpegWithExif())
      return { url: `/api/officer-photos/${photo.id}` }
    },
  },
])
