import {
  groupKindValues,
  ZCreateGroupRequest,
  ZGroupView,
  ZInviteView,
  ZMemberView,
  ZUpdateMemberRequest,
} from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { groupService } from './group.service'
import type { MessagingDeps } from './message.service'

const ZIdParams = z.object({ id: z.uuid() })
const ZCode = z.string().regex(/^[a-z0-9]{6,20}$/)
const tags = ['groups']

/** Community groups: create, invite by link or QR, join, members and moderation. */
export const groupsRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  const db = app.db

  app.get(
    '/api/groups',
    { schema: { tags, response: { 200: z.object({ groups: z.array(ZGroupView) }) } } },
    async (request) => ({ groups: await groupService.list(db, requireActor(request)) }),
  )

  app.get(
    '/api/groups/units',
    {
      schema: {
        tags,
        summary: 'Units and areas the caller may create groups on',
        response: { 200: z.array(z.object({ id: z.uuid(), name: z.string() })) },
      },
    },
    async (request) => groupService.creatableUnits(db, requireActor(request)),
  )

  app.post(
    '/api/groups',
    { schema: { tags, body: ZCreateGroupRequest, response: { 201: ZGroupView } } },
    async (request, reply) =>
      reply.status(201).send(await groupService.create(db, requireActor(request), request.body)),
  )

  app.get(
    '/api/groups/:id',
    { schema: { tags, params: ZIdParams, response: { 200: ZGroupView } } },
    async (request) => groupService.view(db, requireActor(request), request.params.id),
  )

  app.get(
    '/api/groups/:id/members',
    { schema: { tags, params: ZIdParams, response: { 200: z.object({ members: z.array(ZMemberView) }) } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return {
        members: await groupService.members(
          db,
          requireActor(request),
          request.params.id,
          auditContext(request),
        ),
      }
    },
  )

  app.patch(
    '/api/groups/:id/members/:userId',
    {
      schema: {
        tags,
        summary: 'Approve, mute, unmute or remove a member; make or unmake a moderator',
        params: z.object({ id: z.uuid(), userId: z.uuid() }),
        body: ZUpdateMemberRequest,
        response: {
          200: z.object({
            userId: z.uuid(),
            role: z.string(),
            status: z.string(),
            mutedUntil: z.string().nullable(),
          }),
        },
      },
    },
    async (request) =>
      groupService.updateMember(
        deps,
        requireActor(request),
        request.params.id,
        request.params.userId,
        request.body,
      ),
  )

  app.patch(
    '/api/groups/:id/membership',
    {
      schema: {
        tags,
        summary: "Mute or unmute the group's notifications for oneself",
        params: ZIdParams,
        body: z.object({ notificationsMuted: z.boolean() }),
        response: { 200: z.object({ notificationsMuted: z.boolean() }) },
      },
    },
    async (request) =>
      groupService.setNotifications(
        db,
        requireActor(request),
        request.params.id,
        request.body.notificationsMuted,
      ),
  )

  app.delete(
    '/api/groups/:id/membership',
    { schema: { tags, params: ZIdParams } },
    async (request, reply) => {
      await groupService.leave(deps, requireActor(request), request.params.id)
      return reply.status(204).send()
    },
  )

  app.get(
    '/api/groups/:id/invite',
    {
      schema: {
        tags,
        summary: 'Invite link and QR code (moderators)',
        params: ZIdParams,
        response: { 200: ZInviteView },
      },
    },
    async (request) =>
      groupService.invite(db, requireActor(request), request.params.id, app.deps.config.PUBLIC_URL),
  )

  app.post(
    '/api/groups/:id/invite/rotate',
    {
      schema: {
        tags,
        summary: 'A new invite code; old links stop working',
        params: ZIdParams,
        response: { 200: ZInviteView },
      },
    },
    async (request) =>
      groupService.invite(db, requireActor(request), request.params.id, app.deps.config.PUBLIC_URL, true),
  )

  app.get(
    '/api/groups/invites/:code',
    {
      schema: {
        tags,
        params: z.object({ code: ZCode }),
        response: {
          200: z.object({
            id: z.uuid(),
            name: z.string(),
            kind: z.enum(groupKindValues),
            unitName: z.string(),
            joinPolicy: z.enum(['open', 'approval']),
          }),
        },
      },
    },
    async (request) => {
      requireActor(request)
      return groupService.preview(db, request.params.code)
    },
  )

  app.post(
    '/api/groups/join',
    { schema: { tags, body: z.object({ code: ZCode }), response: { 200: ZGroupView } } },
    async (request) => groupService.join(deps, requireActor(request), request.body.code),
  )

  app.get(
    '/api/groups/:id/reports',
    {
      schema: {
        tags,
        params: ZIdParams,
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              messageId: z.uuid(),
              reason: z.string(),
              createdAt: z.string(),
              reporterName: z.string(),
              excerpt: z.string(),
              messageHidden: z.boolean(),
            }),
          ),
        },
      },
    },
    async (request) => groupService.reports(db, requireActor(request), request.params.id),
  )
}
