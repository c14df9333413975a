import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsync } from 'fastify'
import type { Db } from '../../db/client'
import type { Actor } from '../../lib/actor'
import type { ConnectionContext } from '../../realtime/hub'
import { loadActor } from '../auth/actor.repository'
import { followOfficerChanges } from '../organisation/officer-change.job'
import { cannedRepliesRoutes } from './canned-replies.routes'
import { channelLinkRoutes } from './channels/channel-link.routes'
import { ChannelGateway } from './channels/channel-outbound.service'
import { channelAdapters } from './channels/channel-registry'
import { channelRetryRoutes } from './channels/channel-retry.routes'
import { channelsRoutes } from './channels/channels.routes'
import { contactAreaRoutes } from './channels/contact-area.routes'
import { conversationRepository } from './conversation.repository'
import { conversationService } from './conversation.service'
import { conversationsRoutes } from './conversations.routes'
import { MAX_UPLOAD_BYTES } from './file.service'
import { groupService } from './group.service'
import { groupQuestionsRoutes } from './group-questions.routes'
import { groupsRoutes } from './groups.routes'
import { inboxRoutes } from './inbox.routes'
import { messageRepository } from './message.repository'
import type { MessagingDeps } from './message.service'
import { messagesRoutes } from './messages.routes'
import { MessagingEvents } from './messaging.events'
import { messagingPolicy } from './messaging.policy'

/** A socket's actor, loaded once per connection and kept for a minute (grants rarely change). */
async function actorOf(db: Db, ctx: ConnectionContext): Promise<Actor | null> {
  if (!ctx.userId) return null
  const cached = ctx.data.messagingActor as { actor: Actor; at: number } | undefined
  if (cached && Date.now() - cached.at < 60_000) return cached.actor
  const user = await conversationRepository.userCard(db, ctx.userId)
  if (!user || user.deletedAt) return null
  const actor = await loadActor(db, user, `ws:${ctx.connectionId}`)
  ctx.data.messagingActor = { actor, at: Date.now() }
  return actor
}

/**
 * The messaging module: conversations, inbox, groups. Uploads (multipart) are registered in this
 * scope only. Sockets may join `conversation:<id>` (and `-staff` for the area's police) and `group:<id>`.
 */
export const messagingRoutes: FastifyPluginAsync = async (app) => {
  const deps: MessagingDeps = {
    db: app.db,
    events: new MessagingEvents(app.db, app.deps.bus),
    push: app.push,
  }
  // Zalo and Messenger: inbound events become messages, replies go out through the platform.
  const channelDeps = {
    ...deps,
    jobs: app.deps.jobs,
    key: app.deps.config.CHANNEL_SECRET_KEY,
    config: app.deps.config,
    adapters: channelAdapters(app.deps.config),
    zaloOAuthUrl: app.deps.config.ZALO_OAUTH_URL,
    log: app.log,
    storage: app.deps.storage,
  }
  deps.channels = new ChannelGateway(channelDeps)
  deps.channels.registerJobs()
  // A message committed by a process killed before it numbered it: into the stream at start-up.
  app.addHook('onReady', () => messageRepository.sequence(app.db))

  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
  })

  app.hub.registerRoomAuthoriser('conversation', async (ctx, room) => {
    const actor = await actorOf(app.db, ctx)
    if (!actor) return false
    const [, rest = ''] = room.split(':')
    const staffOnly = rest.endsWith('-staff')
    const id = staffOnly ? rest.slice(0, -'-staff'.length) : rest
    const loaded = await conversationRepository.load(app.db, id, actor.userId).catch(() => undefined)
    if (!loaded) return false
    return messagingPolicy.can(actor, staffOnly ? 'work' : 'read', loaded.resource)
  })

  app.hub.registerRoomAuthoriser('group', async (ctx, room) => {
    const actor = await actorOf(app.db, ctx)
    if (!actor) return false
    try {
      await groupService.load(app.db, actor, room.slice('group:'.length))
      return true
    } catch {
      return false
    }
  })

  // When an area changes officer, its conversations follow on the day it takes effect (the
  // organisation module's job runs this on one instance, and retries it on failure).
  followOfficerChanges(app.deps.jobs, (change) =>
    conversationService.followAreaOfficer(deps, change.areaId, change.previousOfficerId),
  )

  await app.register(conversationsRoutes, { deps })
  await app.register(messagesRoutes, { deps })
  await app.register(inboxRoutes, { deps })
  await app.register(cannedRepliesRoutes)
  await app.register(groupQuestionsRoutes, { deps })
  await app.register(groupsRoutes, { deps })
  await app.register(channelsRoutes, { deps: channelDeps, gateway: deps.channels })
  await app.register(channelLinkRoutes, { deps: channelDeps })
  await app.register(channelRetryRoutes, { deps })
  await app.register(contactAreaRoutes, { deps })
}
