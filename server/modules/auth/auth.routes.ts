import type { FastifyPluginAsync } from 'fastify'
import { devOtpRoutes } from './dev.routes'
import { otpRoutes } from './otp.routes'
import { sessionRoutes } from './session.routes'
import { ConsoleSmsProvider } from './sms/console-sms'
import { createSmsProvider, type SmsProvider } from './sms/sms-provider'
import { staffSignInRoutes } from './staff.routes'

/** Sign-in for residents (phone + code) and staff (password + TOTP), the session, and the dev code reader. */
export const authRoutes: FastifyPluginAsync<{ sms?: SmsProvider }> = async (app, options) => {
  const config = app.deps.config
  const sms = options.sms ?? createSmsProvider(config)
  await app.register(sessionRoutes)
  await app.register(otpRoutes, { sms })
  await app.register(staffSignInRoutes)
  if (!config.isProduction && config.SMS_PROVIDER === 'console' && sms instanceof ConsoleSmsProvider) {
    await app.register(devOtpRoutes, { sms })
  }
}
