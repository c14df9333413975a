import { translate } from '@common/i18n/messages'
import { type TTipCategory, tipCategoryValues } from '@common/schemas/tips'
import type { EvidenceRow, TipRow } from '../tips/tips.repository'

/** GeoReport v2 shapes (wiki.open311.org/GeoReport_v2): field names exactly as the specification spells them. */
export interface GeoReportService {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime' | 'batch' | 'blackbox'
  keywords: string
  group: string
}

export interface GeoReportRequest {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string | null
  service_name: string
  service_code: string
  description: string
  agency_responsible: string
  service_notice: string | null
  requested_datetime: string
  updated_datetime: string
  expected_datetime: string | null
  address: string | null
  address_id: string
  zipcode: string | null
  lat: number | null
  long: number | null
  media_url: string | null
}

export const isServiceCode = (code: string): code is TTipCategory =>
  (tipCategoryValues as readonly string[]).includes(code)

export function presentService(code: TTipCategory, locale: 'vi' | 'en'): GeoReportService {
  return {
    service_code: code,
    service_name: translate(locale, `open311.service.${code}`),
    description: translate(locale, `open311.service.${code}.description`),
    metadata: false,
    type: 'realtime',
    keywords: translate(locale, `open311.service.${code}`).toLowerCase().split(/\s+/).join(','),
    group: translate(locale, 'open311.group'),
  }
}

export function presentRequest(
  t: TipRow,
  x: {
    locale: 'vi' | 'en'
    agency: string
    statusNotes: string | null
    photo: EvidenceRow | undefined
    publicUrl: string
  },
): GeoReportRequest {
  return {
    service_request_id: t.id,
    status: t.status === 'closed' ? 'closed' : 'open',
    status_notes: x.statusNotes,
    service_name: translate(x.locale, `open311.service.${t.category}`),
    service_code: t.category,
    description: t.description,
    agency_responsible: x.agency,
    service_notice: null,
    requested_datetime: t.createdAt.toISOString(),
    updated_datetime: t.updatedAt.toISOString(),
    expected_datetime: t.firstResponseAt ? null : t.firstResponseDueAt.toISOString(),
    address: t.addressText,
    address_id: t.areaId,
    zipcode: null,
    lat: t.lat,
    long: t.lng,
    media_url: x.photo ? `${x.publicUrl}/api/evidence/${x.photo.id}` : null,
  }
}
