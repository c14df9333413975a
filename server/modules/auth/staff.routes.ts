import { ZSignedIn, ZStaffChallenge, ZStaffSecondFactor, ZStaffSignIn } from '@common/schemas/auth'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { audit, auditContext } from '../audit/audit.service'
import { presentSessionUser } from './auth.presenter'
import { publicOperation } from './openapi-access'
import { limitedIp, perIpRouteLimit } from './rate-limits'
import { signInBrowser } from './session.service'
import { enrolStep, passwordStep, secondFactorStep } from './staff-sign-in.service'

/** Staff: password, then an authenticator code (or enrolment the first time), then a session. */
export const staffSignInRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = app.deps.config
  const perIp = (max: number) => perIpRouteLimit(config, max)
  const origin = (request: FastifyRequest) => ({ ip: limitedIp(config, request) })
  app.post(
    '/api/auth/staff/sign-in',
    {
      config: perIp(20),
      schema: { ...publicOperation, tags: ['auth'], body: ZStaffSignIn, response: { 200: ZStaffChallenge } },
    },
    async (request) => {
      const { username, password } = request.body
      return passwordStep(app.db, config, username, password, origin(request))
    },
  )

  app.post(
    '/api/auth/staff/totp',
    {
      config: perIp(30),
      schema: { ...publicOperation, tags: ['auth'], body: ZStaffSecondFactor, response: { 200: ZSignedIn } },
    },
    async (request, reply) => {
      const { challenge, code } = request.body
      const result = await secondFactorStep(app.db, config, challenge, code, origin(request))
      const actor = await signInBrowser(request, reply, app.db, result.user)
      await audit.record(app.db, auditContext(request), {
        action: 'auth.sign_in',
        entityType: 'user',
        entityId: actor.userId,
        details: { method: result.recoveryCodesLeft === undefined ? 'totp' : 'recovery_code' },
      })
      return {
        user: presentSessionUser(actor),
        ...(result.recoveryCodesLeft === undefined ? {} : { recoveryCodesLeft: result.recoveryCodesLeft }),
      }
    },
  )

  app.post(
    '/api/auth/staff/enrol',
    {
      config: perIp(30),
      schema: { ...publicOperation, tags: ['auth'], body: ZStaffSecondFactor, response: { 200: ZSignedIn } },
    },
    async (request, reply) => {
      const { challenge, code } = request.body
      const result = await enrolStep(app.db, config, challenge, code, origin(request))
      const actor = await signInBrowser(request, reply, app.db, result.user)
      await audit.record(app.db, auditContext(request), {
        action: 'auth.totp_enrol',
        entityType: 'user',
        entityId: actor.userId,
      })
      return { user: presentSessionUser(actor), recoveryCodes: result.recoveryCodes }
    },
  )
}
