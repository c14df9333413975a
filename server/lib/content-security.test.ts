import { describe, expect, it } from 'vitest'
import { contentSecurityDirectives, tileImageSource } from './content-security'

describe('content security policy (F20)', () => {
  it('keeps connections and images on this origin when no tile server is set', () => {
    const d = contentSecurityDirectives({ MAP_TILE_URL: '', isProduction: true })
    expect(d.connectSrc).toEqual(["'self'"])
    expect(d.imgSrc).toEqual(["'self'", 'data:', 'blob:'])
    // A recorded voice message plays from a local Blob before it is sent; nothing from elsewhere.
    expect(d.mediaSrc).toEqual(["'self'", 'blob:'])
  })

  it('allows images from the configured tile server only', () => {
    const d = contentSecurityDirectives({
      MAP_TILE_URL: 'https://{s}.tile.example.vn/{z}/{x}/{y}.png',
      isProduction: true,
    })
    expect(d.imgSrc).toEqual(["'self'", 'data:', 'blob:', 'https://*.tile.example.vn'])
    expect(tileImageSource('https://tiles.example.vn:8443/{z}/{x}/{y}.png')).toBe(
      'https://tiles.example.vn:8443',
    )
  })

  it('ignores a tile URL it cannot turn into a safe source', () => {
    expect(tileImageSource('/tiles/{z}/{x}/{y}.png')).toBeNull()
    expect(tileImageSource("https://a.vn'; script-src *")).toBeNull()
    expect(tileImageSource('javascript:alert(1)')).toBeNull()
  })
})
