import { authenticator } from 'otplib'
import { expect } from 'vitest'
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../seed/demo-seed'

/**
 * Signs a demo resident in over HTTP with a one-time code read from the dev SMS provider, as the
 * browser does, against a real server process; returns headers for the next requests.
 */
export async function signInResidentOverHttp(
  base: string,
  phone = '+84987000001',
): Promise<Record<string, string>> {
  const json = { 'content-type': 'application/json' }
  const asked = await fetch(`${base}/api/auth/otp/request`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ phone }),
  })
  expect(asked.status).toBe(202)
  const otp = (await (await fetch(`${base}/api/dev/last-otp?phone=${encodeURIComponent(phone)}`)).json()) as {
    code: string
  }
  const verified = await fetch(`${base}/api/auth/otp/verify`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ phone, code: otp.code }),
  })
  expect(verified.status).toBe(200)
  return sessionHeaders(verified)
}

/**
 * Signs a demo staff member in over HTTP (password, then an authenticator code from the demo
 * secret), as the browser does. The server takes each 30-second code once per person, so when this
 * step's code was just used the next step's (within the allowed drift) is tried.
 */
export async function signInStaffOverHttp(base: string, username: string): Promise<Record<string, string>> {
  const json = { 'content-type': 'application/json' }
  for (const offsetSteps of [0, 1]) {
    const first = await fetch(`${base}/api/auth/staff/sign-in`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    })
    expect(first.status).toBe(200)
    const { challenge } = (await first.json()) as { challenge: string }
    const code = authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(DEMO_TOTP_SECRET)
    const second = await fetch(`${base}/api/auth/staff/totp`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ challenge, code }),
    })
    if (second.status === 200) return sessionHeaders(second)
    await second.arrayBuffer()
  }
  throw new Error(`could not sign ${username} in`)
}

function sessionHeaders(res: Response): Record<string, string> {
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!)
  const csrf = cookies.find((c) => c.startsWith('nhipcau_csrf='))?.split('=')[1] ?? ''
  return {
    cookie: cookies.join('; '),
    'x-csrf-token': decodeURIComponent(csrf),
    'content-type': 'application/json',
  }
}
