import { expect } from 'vitest'

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
  const cookies = verified.headers.getSetCookie().map((c) => c.split(';')[0]!)
  const csrf = cookies.find((c) => c.startsWith('nhipcau_csrf='))?.split('=')[1] ?? ''
  return { cookie: cookies.join('; '), 'x-csrf-token': decodeURIComponent(csrf), ...json }
}
