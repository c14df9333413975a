import { ZGroupQuestionView } from '@common/schemas/messaging'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { groupQuestionsService } from './group-questions.service'
import type { MessagingDeps } from './message.service'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['inbox']

/** Residents' questions in groups for the police, in the officers' inbox (issue 19). */
export const groupQuestionsRoutes: FastifyPluginAsyncZod<{ deps: MessagingDeps }> = async (app, { deps }) => {
  app.get(
    '/api/group-questions',
    {
      schema: {
        tags,
        summary: 'Open questions for the police in the groups the officer works, oldest first',
        response: { 200: z.object({ questions: z.array(ZGroupQuestionView) }) },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store')
      return { questions: await groupQuestionsService.listOpen(app.db, requireActor(request)) }
    },
  )

  app.post(
    '/api/messages/:id/ask-police',
    {
      schema: {
        tags,
        summary: "A group's moderator passes a resident's message on to the police (once per message)",
        params: ZIdParams,
      },
    },
    async (request, reply) => {
      await groupQuestionsService.flag(deps, requireActor(request), auditContext(request), request.params.id)
      return reply.status(204).send()
    },
  )

  app.post(
    '/api/group-questions/:id/answered',
    { schema: { tags, summary: 'Staff mark a group question answered', params: ZIdParams } },
    async (request, reply) => {
      await groupQuestionsService.markAnswered(
        deps,
        requireActor(request),
        auditContext(request),
        request.params.id,
      )
      return reply.status(204).send()
    },
  )
}
