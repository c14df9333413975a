import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EsmsClient } from './esms-client'
import { SmsDeliveryError } from './sms-provider'

/** A local server that speaks eSMS's SendMultipleMessage_V4_post_json contract. */
let server: Server
let url: string
let received: { method: string; path: string; contentType: string; body: Record<string, string> }[] = []
let answer: { status: number; body: unknown } = {
  status: 200,
  body: { CodeResult: '100', SMSID: 'abc123', CountRegenerate: 0 },
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let s = ''
    req.on('data', (c) => (s += c))
    req.on('end', () => resolve(s))
  })

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const raw = await readBody(req)
    received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      contentType: req.headers['content-type'] ?? '',
      body: JSON.parse(raw),
    })
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/MainService.svc/json/SendMultipleMessage_V4_post_json/`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))
beforeEach(() => {
  received = []
  answer = { status: 200, body: { CodeResult: '100', SMSID: 'abc123', CountRegenerate: 0 } }
})

describe('the eSMS.vn client', () => {
  it('posts the documented JSON fields and returns the SMS id', async () => {
    const client = EsmsClient.fromConfig({ SMS_HTTP_URL: url, SMS_HTTP_TOKEN: 'key-1:secret-1' })
    const result = await client.send({ to: '+84912345678', text: 'Mã đăng nhập NhipCau: 123456' })
    expect(result).toEqual({ providerId: 'abc123' })
    expect(received).toHaveLength(1)
    const [req] = received
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe('/MainService.svc/json/SendMultipleMessage_V4_post_json/')
    expect(req?.contentType).toMatch(/^application\/json/)
    expect(req?.body).toMatchObject({
      ApiKey: 'key-1',
      SecretKey: 'secret-1',
      Phone: '0912345678',
      Content: 'Mã đăng nhập NhipCau: 123456',
      SmsType: '8',
      IsUnicode: '1',
      Sandbox: '0',
    })
    expect(req?.body.RequestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(req?.body).not.toHaveProperty('Brandname')
  })

  it('sends as customer care (type 2) under a registered brand name', async () => {
    const client = EsmsClient.fromConfig({ SMS_HTTP_URL: url, SMS_HTTP_TOKEN: 'k:s:CONGAN' })
    await client.send({ to: '+84987000001', text: 'Ma dang nhap: 123456' })
    expect(received[0]?.body).toMatchObject({
      SmsType: '2',
      Brandname: 'CONGAN',
      IsUnicode: '0',
      Phone: '0987000001',
    })
  })

  it('turns a refusal (CodeResult other than 100) into a delivery error with the provider code', async () => {
    answer = { status: 200, body: { CodeResult: '101', ErrorMessage: 'Authorize Failed' } }
    const client = EsmsClient.fromConfig({ SMS_HTTP_URL: url, SMS_HTTP_TOKEN: 'k:bad' })
    const err = await client.send({ to: '+84912345678', text: 'x' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SmsDeliveryError)
    expect(err).toMatchObject({ providerCode: '101', message: expect.stringContaining('Authorize Failed') })
  })

  it('reports HTTP failures and refuses to start without credentials', async () => {
    answer = { status: 502, body: {} }
    const client = EsmsClient.fromConfig({ SMS_HTTP_URL: url, SMS_HTTP_TOKEN: 'k:s' })
    await expect(client.send({ to: '+84912345678', text: 'x' })).rejects.toThrow('HTTP 502')
    expect(() => EsmsClient.fromConfig({ SMS_HTTP_URL: url, SMS_HTTP_TOKEN: undefined })).toThrow(
      /SMS_HTTP_TOKEN/,
    )
  })
})
