import { ZOtpRequest, ZOtpRequestResponse, ZOtpVerify, ZSignedIn } from '@common/schemas/auth'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { audit, auditContext } from '../audit/audit.service'
import { presentSessionUser } from './auth.presenter'
import { publicOperation } from './openapi-access'
import { OTP_LIMITS, requestCode, verifyCode } from './otp.service'
import { limitedIp, perIpRouteLimit } from './rate-limits'
import { signInBrowser } from './session.service'
import type { SmsProvider } from './sms/sms-provider'

/** Residents sign in with their phone number and a 6-digit code sent by SMS. */
export const otpRoutes: FastifyPluginAsyncZod<{ sms: SmsProvider }> = async (app, { sms }) => {
  const config = app.deps.config
  // Per IP on this instance (@fastify/rate-limit) and across instances (database counts in the service).
  const perIp = (max: number) => perIpRouteLimit(config, max)
  const origin = (request: FastifyRequest) => ({ ip: limitedIp(config, request) })
  app.post(
    '/api/auth/otp/request',
    {
      config: perIp(OTP_LIMITS.codesPerIp.max),
      schema: {
        ...publicOperation,
        tags: ['auth'],
        body: ZOtpRequest,
        response: { 202: ZOtpRequestResponse },
      },
    },
    async (request, reply) => {
      const result = await requestCode(
        app.db,
        config,
        sms,
        request.body.phone,
        request.locale,
        origin(request),
      )
      return reply.status(202).send(result)
    },
  )

  app.post(
    '/api/auth/otp/verify',
    {
      config: perIp(OTP_LIMITS.verifyCallsPerIp),
      schema: { ...publicOperation, tags: ['auth'], body: ZOtpVerify, response: { 200: ZSignedIn } },
    },
    async (request, reply) => {
      const { phone, code } = request.body
      const { user, isNew } = await verifyCode(app.db, config, phone, code, origin(request))
      const actor = await signInBrowser(request, reply, app.db, user)
      if (isNew) {
        await audit.record(app.db, auditContext(request), {
          action: 'account.create',
          entityType: 'user',
          entityId: user.id,
        })
      }
      return { user: presentSessionUser(actor), isNewAccount: isNew }
    },
  )
}
