/**
 * The Content-Security-Policy directives (security review F20). Images and connections stay on this
 * origin (`'self'` covers the same-origin WebSocket in current browsers), so an injected script or
 * image cannot send data to any other host. The one outside source is the map tile server an
 * operator configures (MAP_TILE_URL): its origin, with `{s}` subdomains as a wildcard, is allowed
 * for images only.
 */
export function contentSecurityDirectives(config: { MAP_TILE_URL: string; isProduction: boolean }) {
  const tiles = tileImageSource(config.MAP_TILE_URL)
  return {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    // blob: lets a voice message be listened to before it is sent (the recording is a local Blob).
    mediaSrc: ["'self'", 'blob:'],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    frameAncestors: ["'none'"],
    upgradeInsecureRequests: config.isProduction ? [] : null,
  }
}

/** "https://{s}.tile.example.vn/{z}/{x}/{y}.png" → "https://*.tile.example.vn"; null when unset or not http(s). */
export function tileImageSource(tileUrl: string): string | null {
  const m = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl.trim())
  if (!m) return null
  const host = m[2]!.replace(/^\{[a-z]+\}\./i, '*.')
  // Anything else templated or odd in the host (a quote would break out of the header) is refused.
  if (!/^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i.test(host)) return null
  return `${m[1]!.toLowerCase()}://${host.toLowerCase()}`
}
