import { createECDH } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decryptAes128gcm, makeDeviceKeys } from '../../test/fakes/fake-push-service'
import {
  decodeDeviceKeys,
  encryptPushMessage,
  InvalidDeviceKeys,
  MAX_PUSH_PLAINTEXT,
} from './push-encryption'
import { PushEncryptionPool } from './push-encryption-pool'

const b64 = (s: string) => Buffer.from(s, 'base64url')

describe('Web Push message encryption (RFC 8291)', () => {
  it('gives the RFC 8291 appendix A message for its keys and salt, byte for byte', () => {
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(b64('yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw'))
    const device = decodeDeviceKeys({
      p256dh: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
      auth: 'BTBZMqHH6r4Tts7J_aSIgg',
    })
    const body = encryptPushMessage(device, Buffer.from('When I grow up, I want to be a watermelon'), {
      ecdh,
      salt: b64('DGv6ra1nlYgDCS1FRnbzlw'),
    })
    expect(body.toString('base64url')).toBe(
      'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
    )
  })

  it('is decrypted by the device it was made for, with a fresh sender key and salt each time', () => {
    const device = makeDeviceKeys()
    const keys = decodeDeviceKeys(device.subscriptionKeys)
    const text = JSON.stringify({ title: 'Tìm trẻ lạc', body: 'Bé trai 6 tuổi', url: '/alerts/1' })
    const a = encryptPushMessage(keys, Buffer.from(text))
    const b = encryptPushMessage(keys, Buffer.from(text))
    expect(decryptAes128gcm(a, device)).toBe(text)
    expect(decryptAes128gcm(b, device)).toBe(text)
    expect(a.subarray(0, 16).equals(b.subarray(0, 16))).toBe(false) // salt
    expect(a.subarray(21, 86).equals(b.subarray(21, 86))).toBe(false) // sender public key
    expect(() => decryptAes128gcm(a, makeDeviceKeys())).toThrow()
  })

  it('refuses keys no browser makes and a message over one 4 KB record', () => {
    const good = makeDeviceKeys().subscriptionKeys
    expect(() => decodeDeviceKeys({ ...good, p256dh: good.p256dh.slice(0, 40) })).toThrow(InvalidDeviceKeys)
    expect(() => decodeDeviceKeys({ ...good, auth: 'c2hvcnQ' })).toThrow(InvalidDeviceKeys)
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)])
    expect(() => encryptPushMessage({ p256dh: offCurve, auth: Buffer.alloc(16) }, Buffer.from('x'))).toThrow(
      InvalidDeviceKeys,
    )
    const keys = decodeDeviceKeys(good)
    expect(encryptPushMessage(keys, Buffer.alloc(MAX_PUSH_PLAINTEXT)).length).toBe(4096)
    expect(() => encryptPushMessage(keys, Buffer.alloc(MAX_PUSH_PLAINTEXT + 1))).toThrow(RangeError)
  })
})

describe('PushEncryptionPool', () => {
  it('encrypts on a worker thread, each body for its own device, and refuses bad keys', async () => {
    const pool = new PushEncryptionPool(1)
    try {
      const devices = Array.from({ length: 50 }, () => makeDeviceKeys())
      const bodies = await Promise.all(
        devices.map((d, i) => pool.encrypt(d.subscriptionKeys, JSON.stringify({ title: `Tin ${i}` }))),
      )
      expect(bodies.map((b, i) => JSON.parse(decryptAes128gcm(b, devices[i]!)).title)).toEqual(
        devices.map((_, i) => `Tin ${i}`),
      )
      const bad = { ...devices[0]!.subscriptionKeys, auth: 'c2hvcnQ' }
      await expect(pool.encrypt(bad, 'x')).rejects.toBeInstanceOf(InvalidDeviceKeys)
      expect(pool.stats).toEqual({ onWorkers: 51, inline: 0 })
    } finally {
      pool.close()
    }
  })
})
