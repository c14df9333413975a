import type { AlertGeometry } from '../../db/schema/alerts'

/** The CAP 1.2 namespace (OASIS Common Alerting Protocol Version 1.2, 1 July 2010). */
export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2'
export const CAP_CONTENT_TYPE = 'application/cap+xml'

/** What one CAP message carried: frozen in alert_messages.snapshot when it was sent. */
export interface CapSnapshot {
  kind: string
  capStatus: string
  capScope: string
  categories: string[]
  event: string
  urgency: string
  severity: string
  certainty: string
  effective: string | null
  expires: string | null
  headline: string
  description: string
  instruction: string
  contact: string
  outcome: string | null
  geometry: AlertGeometry | null
  senderName: string
  targets: { name: string; slug: string; code: string | null }[]
  photos: { id: string; mime: string; size: number; description: string }[]
}

export interface CapMessageInput {
  identifier: string
  sender: string
  sent: Date
  msgType: 'Alert' | 'Update' | 'Cancel'
  references: string | null
  note: string | null
  snapshot: CapSnapshot
  /** Absolute URLs: the share page and each photo. */
  webUrl: string
  photoUrl: (photoId: string) => string
}

// XML 1.0 forbids most control characters even when escaped.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point of the expression
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export const escapeXml = (s: string) =>
  s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')

/**
 * CAP dateTime: "2026-11-28T14:05:00+07:00". The schema's pattern forbids "Z" and fractions, so times
 * are written in Vietnam's offset (no daylight saving).
 */
export function capDateTime(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d
  const local = new Date(Math.floor(date.getTime() / 1000) * 1000 + 7 * 3600_000)
  return `${local.toISOString().slice(0, 19)}+07:00`
}

/** CAP identifiers may not contain spaces, commas, "<" or "&". */
export const capIdentifier = (host: string, alertId: string, version: number) =>
  `${host.replace(/[\s,<&]/g, '')}-alert-${alertId}-${version}`

/** "sender,identifier,sent" of an earlier message, as CAP <references> lists them. */
export const capReference = (m: { sender: string; identifier: string; sent: Date }) =>
  `${m.sender},${m.identifier},${capDateTime(m.sent)}`

const el = (name: string, value: string | number | null | undefined, indent: string) =>
  value === null || value === undefined || value === ''
    ? ''
    : `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`

const latLon = ([lat, lon]: [number, number]) => `${lat},${lon}`

function geometryXml(g: AlertGeometry, indent: string): string {
  if (g.type === 'circle') return el('circle', `${latLon(g.center)} ${g.radiusKm}`, indent)
  const pts = [...g.points]
  const first = pts[0]!
  const last = pts[pts.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) pts.push(first)
  return el('polygon', pts.map(latLon).join(' '), indent)
}

/** The <alert> element alone (no XML declaration), so an Atom entry can carry it inline. */
export function capAlertElement(m: CapMessageInput, indent = ''): string {
  const s = m.snapshot
  const i1 = `${indent}  `
  const i2 = `${indent}    `
  const i3 = `${indent}      `
  let xml = `${indent}<alert xmlns="${CAP_NS}">\n`
  xml += el('identifier', m.identifier, i1)
  xml += el('sender', m.sender, i1)
  xml += el('sent', capDateTime(m.sent), i1)
  xml += el('status', s.capStatus, i1)
  xml += el('msgType', m.msgType, i1)
  xml += el('scope', s.capScope, i1)
  if (s.capScope === 'Restricted')
    xml += el('restriction', 'Cư dân trong phạm vi cảnh báo / residents in scope', i1)
  if (s.capScope === 'Private') xml += el('addresses', s.targets.map((t) => t.slug).join(' '), i1)
  xml += el('note', m.note, i1)
  xml += el('references', m.references, i1)
  xml += `${i1}<info>\n`
  xml += el('language', 'vi-VN', i2)
  for (const c of s.categories) xml += el('category', c, i2)
  xml += el('event', s.event, i2)
  xml += el('urgency', s.urgency, i2)
  xml += el('severity', s.severity, i2)
  xml += el('certainty', s.certainty, i2)
  if (s.effective) xml += el('effective', capDateTime(s.effective), i2)
  if (s.expires) xml += el('expires', capDateTime(s.expires), i2)
  xml += el('senderName', s.senderName, i2)
  xml += el('headline', s.headline, i2)
  xml += el('description', s.description, i2)
  xml += el('instruction', s.instruction, i2)
  xml += el('web', m.webUrl, i2)
  xml += el('contact', s.contact, i2)
  xml += `${i2}<parameter>\n${el('valueName', 'NhipCauAlertKind', i3)}${el('value', s.kind, i3)}${i2}</parameter>\n`
  if (s.outcome)
    xml += `${i2}<parameter>\n${el('valueName', 'NhipCauOutcome', i3)}${el('value', s.outcome, i3)}${i2}</parameter>\n`
  for (const p of s.photos) {
    xml += `${i2}<resource>\n`
    xml += el('resourceDesc', p.description || 'Ảnh / photo', i3)
    xml += el('mimeType', p.mime, i3)
    xml += el('size', p.size, i3)
    xml += el('uri', m.photoUrl(p.id), i3)
    xml += `${i2}</resource>\n`
  }
  for (const t of s.targets) {
    xml += `${i2}<area>\n${el('areaDesc', t.name, i3)}`
    xml += `${i3}<geocode>\n${el('valueName', 'NhipCauUnit', `${i3}  `)}${el('value', t.slug, `${i3}  `)}${i3}</geocode>\n`
    if (t.code)
      xml += `${i3}<geocode>\n${el('valueName', 'VN-AdminCode', `${i3}  `)}${el('value', t.code, `${i3}  `)}${i3}</geocode>\n`
    xml += `${i2}</area>\n`
  }
  if (s.geometry)
    xml += `${i2}<area>\n${el('areaDesc', 'Vùng khoanh trên bản đồ / drawn area', i3)}${geometryXml(s.geometry, i3)}${i2}</area>\n`
  xml += `${i1}</info>\n`
  xml += `${indent}</alert>\n`
  return xml
}

/** A standalone CAP 1.2 document. */
export const capDocument = (m: CapMessageInput) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${capAlertElement(m)}`
