import fastifyMultipart from '@fastify/multipart'
import type { FastifyPluginAsync } from 'fastify'
import { followOfficerChanges } from '../organisation/officer-change.job'
import { cannedRepliesRoutes } from './canned-replies.routes'
import { channelLinkRoutes } from './channels/channel-link.routes'
import { ChannelGateway } from './channels/channel-outbound.service'
import { channelAdapters } from './channels/channel-registry'
import { channelRetryRoutes } from './channels/channel-retry.routes'
import { channelsRoutes } from './channels/channels.routes'
import { contactAreaRoutes } from './channels/contact-area.routes'
import { conversationService } from './conversation.service'
import { conversationsRoutes } from './conversations.routes'
import { MAX_UPLOAD_BYTES } from './file.service'
import { groupQuestionsRoutes } from './group-questions.routes'
import { groupsRoutes } from './groups.routes'
import { inboxRoutes } from './inbox.routes'
import { messageRepository } from './message.repository'
import type { MessagingDeps } from './message.service'
import { messagesRoutes } from './messages.routes'
import { MessagingEvents } from './messaging.events'
import { registerMessagingRooms } from './messaging.rooms'

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
  app.addHook('onReady', async () => {
    await messageRepository.sequence(app.db)
  })

  await app.register(fastifyMultipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 },
  })

  registerMessagingRooms(app.hub, app.db)

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
