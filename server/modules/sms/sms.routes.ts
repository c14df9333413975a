import { ZMessageView } from '@common/schemas/messaging'
import {
  smsSendStatusValues,
  ZSmsReplyInfo,
  ZSmsReplyRequest,
  ZSmsSent,
  ZSmsSettings,
  ZUpdateSmsSettings,
} from '@common/schemas/sms'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError, notFound } from '../../lib/errors'
import { auditContext } from '../audit/audit.service'
import { optionalActor, requireActor } from '../auth/auth.guard'
import { publicOperation } from '../auth/openapi-access'
import { moResponse, parseMo, verifyMo } from './esms-mo'
import { smsDeliveryReports } from './sms-delivery-report.service'
import { smsInbound } from './sms-inbound.service'
import type { SmsDeps } from './sms-ledger.service'
import { smsReplyService } from './sms-reply.service'
import { smsSettingsService } from './sms-settings.service'

const ZIdParams = z.object({ id: z.uuid() })
const tags = ['sms']
const ZReplyResponse = z.object({ message: ZMessageView, sms: ZSmsSent })
const moField = z.string().max(2000)

/** Answers by SMS, the units' SMS budgets, and residents' SMS replies (the provider's MO webhook). */
export const smsRoutes: FastifyPluginAsyncZod<{ deps: SmsDeps }> = async (app, { deps }) => {
  const { config } = app.deps

  app.get(
    '/api/conversations/:id/sms',
    {
      schema: {
        tags,
        summary: 'Before answering by SMS: the masked number, the price per segment and the budget left',
        params: ZIdParams,
        response: { 200: ZSmsReplyInfo },
      },
    },
    async (request) => smsReplyService.info(deps, requireActor(request), request.params.id),
  )

  app.post(
    '/api/conversations/:id/sms',
    {
      schema: {
        tags,
        summary:
          "Answer by SMS to the resident's number (counted against the unit's monthly budget; the same clientKey sends once)",
        params: ZIdParams,
        body: ZSmsReplyRequest,
        response: { 200: ZReplyResponse, 201: ZReplyResponse },
      },
    },
    async (request, reply) => {
      const result = await smsReplyService.send(deps, requireActor(request), request.params.id, request.body)
      return reply.status(result.created ? 201 : 200).send({ message: result.message, sms: result.sms })
    },
  )

  app.get(
    '/api/units/:id/sms-settings',
    {
      schema: {
        tags,
        summary: "The unit's monthly SMS budget, what it spent this month, the alert kinds sent by SMS",
        params: ZIdParams,
        response: { 200: ZSmsSettings },
      },
    },
    async (request) =>
      smsSettingsService.get(app.db, optionalActor(request) ?? null, request.params.id, deps.priceVnd),
  )

  app.put(
    '/api/units/:id/sms-settings',
    {
      schema: {
        tags,
        summary: "Set the unit's monthly SMS budget (0: no SMS) and the alert kinds it sends by SMS",
        params: ZIdParams,
        body: ZUpdateSmsSettings,
        response: { 200: ZSmsSettings },
      },
    },
    async (request) =>
      smsSettingsService.update(
        app.db,
        auditContext(request),
        requireActor(request),
        request.params.id,
        request.body,
        deps.priceVnd,
      ),
  )

  app.get(
    '/api/sms/esms/status/:sendId/:token',
    {
      logLevel: 'warn',
      config: { anonymous: true },
      schema: {
        ...publicOperation,
        tags,
        summary: "eSMS's delivery report of one SMS (the URL given with the send is its credential)",
        params: z.object({ sendId: z.uuid(), token: z.string().max(64) }),
        querystring: z.looseObject({
          SMSID: z.string().max(100).optional(),
          SendStatus: z.string().max(10).optional(),
          SendSuccess: z.string().max(10).optional(),
          SendFailed: z.string().max(10).optional(),
          RequestId: z.string().max(100).optional(),
        }),
        response: { 200: z.object({ status: z.enum(smsSendStatusValues) }) },
      },
    },
    async (request) =>
      smsDeliveryReports.receive(
        deps,
        config.SESSION_SECRET,
        request.params.sendId,
        request.params.token,
        request.query,
      ),
  )

  /**
   * eSMS calls this with HTTP GET for each SMS a resident sends to the unit's short code; the
   * signature (MD5 with the private key eSMS gave) is checked before anything is stored.
   */
  app.get(
    '/api/sms/esms/mo',
    {
      logLevel: 'warn',
      config: { anonymous: true },
      schema: {
        ...publicOperation,
        tags,
        summary: "A resident's SMS to the unit's number (eSMS short-code MO; signed; stored, then filed)",
        querystring: z.object({
          sender: z.string().max(20),
          content: moField,
          serviceNumber: z.string().max(20).optional(),
          keyword: z.string().max(100).optional(),
          sign: z.string().max(64),
          cpid: z.string().max(100),
          smsid: z.string().min(1).max(100),
          receiverTime: z.string().max(20),
        }),
      },
    },
    async (request, reply) => {
      const cpid = config.SMS_MO_CPID
      const key = config.SMS_MO_PRIVATE_KEY
      if (!cpid || !key) throw notFound()
      if (!verifyMo(request.query, cpid, key)) throw new AppError('unauthenticated', 'sms.signature_invalid')
      const mo = parseMo(request.query, config.SMS_MO_KEYWORD)
      if (!mo) throw new AppError('validation', 'sms.mo_invalid')
      await smsInbound.receive(deps, mo)
      return reply
        .type('application/xml; charset=utf-8')
        .send(moResponse(request.query.smsid, request.query.sender))
    },
  )
}
