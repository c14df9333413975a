import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'

/**
 * Where the server may post Web Push messages (F7): a subscription names any URL, and the server
 * posts to it, so an endpoint is a request the server makes on a user's behalf. Only push services
 * are allowed, never an address inside the network.
 */

/**
 * Whether a host matches the allow-list: `*` any host, `*.example.com` its subdomains, otherwise
 * the exact name or address. Only an exact entry lets a private address through (a local fake push
 * service in tests); a wildcard never does.
 */
export function matchPushHost(host: string, patterns: readonly string[]): 'exact' | 'pattern' | null {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  for (const p of patterns) if (p === h) return 'exact'
  for (const p of patterns) {
    if (p === '*' || (p.startsWith('*.') && h.endsWith(p.slice(1)) && h.length > p.length - 1))
      return 'pattern'
  }
  return null
}

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** Loopback, private, link-local (cloud metadata), CGNAT, multicast and reserved addresses. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const ip = mapped ?? address
  const family = isIP(ip)
  if (family === 0) return true
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

export class PushEndpointRefused extends Error {
  override name = 'PushEndpointRefused'
}

/**
 * A `lookup` for http.request that refuses internal addresses at connection time, so a name that
 * resolves differently between a check and the connection (DNS rebinding) cannot slip through.
 */
export function guardedLookup(allowInternal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, list: LookupAddress[]) => {
      if (err) return callback(err, [])
      if (!allowInternal && (list.length === 0 || list.some((a) => isInternalAddress(a.address)))) {
        return callback(
          new PushEndpointRefused(`push endpoint ${hostname} resolves to an internal address`),
          [],
        )
      }
      if (options.all) return callback(null, list)
      const first = list[0]!
      callback(null, first.address, first.family)
    })
  }
}

export interface CheckedPushEndpoint {
  url: URL
  /** Named exactly on the allow-list: may resolve to a private address (a local fake in tests). */
  allowInternal: boolean
}

/** Checks an endpoint before anything is sent: https (or http outside production), allowed host. */
export function checkPushEndpoint(endpoint: string, allowedHosts: readonly string[]): CheckedPushEndpoint {
  const url = new URL(endpoint)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new PushEndpointRefused('not http(s)')
  if (url.username || url.password) throw new PushEndpointRefused('credentials in the endpoint')
  const match = matchPushHost(url.hostname, allowedHosts)
  if (!match)
    throw new PushEndpointRefused(`push endpoint host ${url.hostname} is not an allowed push service`)
  const literal = url.hostname.replace(/^\[|\]$/g, '')
  const allowInternal = match === 'exact'
  if (isIP(literal) && !allowInternal && isInternalAddress(literal)) {
    throw new PushEndpointRefused(`push endpoint ${literal} is an internal address`)
  }
  return { url, allowInternal }
}
