import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { openSecret, sealSecret } from './secret-box'

describe('secret box (AES-256-GCM)', () => {
  const key = randomBytes(32)

  it('opens what it sealed, and the box does not contain the secret', () => {
    const box = sealSecret(key, { appSecret: 'bí-mật-của-trang' })
    expect(box).not.toContain('bí-mật')
    expect(openSecret(key, box)).toEqual({ appSecret: 'bí-mật-của-trang' })
  })

  it('refuses another key and a changed byte', () => {
    const box = sealSecret(key, { token: 'abc' })
    expect(() => openSecret(randomBytes(32), box)).toThrow()
    const parts = box.split('.')
    const data = Buffer.from(parts[3]!, 'base64url')
    data[0] = data[0]! ^ 1
    parts[3] = data.toString('base64url')
    expect(() => openSecret(key, parts.join('.'))).toThrow()
  })
})
