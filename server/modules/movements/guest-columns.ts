import { foldVietnamese } from '@common/text/fold'
import type { Cell } from './guest-file'

/**
 * The columns a business already keeps, under the names it uses: Vietnamese with or without
 * diacritics, the usual abbreviations (CCCD, CMND), and English from booking software. Headers are
 * compared folded to letters and digits, so "Số CCCD/Hộ chiếu", "so cccd hochieu" and "SỐ_CCCD" match.
 */
export const guestFields = [
  'fullName',
  'idKind',
  'idNumber',
  'nationality',
  'fromDate',
  'arrivalTime',
  'toDate',
  'room',
  'note',
] as const
export type GuestField = (typeof guestFields)[number]

const headerNames: Record<GuestField, string[]> = {
  fullName: [
    'hovaten',
    'hoten',
    'ten',
    'tenkhach',
    'hotenkhach',
    'hotenkhachhang',
    'khach',
    'khachluutru',
    'fullname',
    'name',
    'guestname',
    'guest',
  ],
  idKind: ['loaigiayto', 'loaigiaytotuythan', 'loaigt', 'giaytotuythan', 'idtype', 'documenttype', 'doctype'],
  idNumber: [
    'sodinhdanh',
    'sodinhdanhcanhan',
    'sddcn',
    'dinhdanh',
    'socccd',
    'cccd',
    'socancuoc',
    'cancuoc',
    'socancuoccongdan',
    'socmnd',
    'cmnd',
    'cmndcccd',
    'socmndcccd',
    'cccdcmnd',
    'socccdcmnd',
    'sogiayto',
    'giayto',
    'sogiaytotuythan',
    'sohochieu',
    'hochieu',
    'cccdhochieu',
    'socccdhochieu',
    'socccdhc',
    'passport',
    'passportno',
    'passportnumber',
    'idnumber',
    'idno',
    'id',
    'documentnumber',
    'documentno',
  ],
  nationality: ['quoctich', 'nationality', 'country', 'quocgia', 'citizenship'],
  fromDate: [
    'ngayden',
    'ngaynhanphong',
    'ngaycheckin',
    'checkin',
    'checkindate',
    'tungay',
    'ngaybatdau',
    'ngayluutru',
    'ngayo',
    'thoigianden',
    'arrival',
    'arrivaldate',
    'datein',
    'from',
  ],
  arrivalTime: ['gioden', 'gionhanphong', 'giocheckin', 'checkintime', 'arrivaltime', 'timein', 'gio'],
  toDate: [
    'ngaydi',
    'ngaytraphong',
    'ngaycheckout',
    'checkout',
    'checkoutdate',
    'denngay',
    'ngayketthuc',
    'ngayroidi',
    'thoigiandi',
    'departure',
    'departuredate',
    'dateout',
    'to',
  ],
  room: ['sophong', 'phong', 'room', 'roomno', 'roomnumber', 'phongso'],
  note: ['ghichu', 'note', 'notes', 'remark', 'remarks'],
}

const headerKey = (h: string) => foldVietnamese(h).replace(/[^a-z0-9]/g, '')
const byHeader = new Map<string, GuestField>(
  Object.entries(headerNames).flatMap(([field, names]) => names.map((n) => [n, field as GuestField])),
)
/** Headers not on the list that still name an ID ("Passport / ID No.", "Số CCCD hoặc hộ chiếu"). */
const fieldOfHeader = (key: string): GuestField | undefined => {
  const exact = byHeader.get(key)
  if (exact) return exact
  if (/cccd|cmnd|hochieu|passport|dinhdanh|cancuoc/.test(key))
    return /loai|type/.test(key) ? 'idKind' : 'idNumber'
  return undefined
}

export interface HeaderMap {
  /** Column index of each field found. */
  columns: Partial<Record<GuestField, number>>
  /** The header text as written in the file, per field. */
  labels: Partial<Record<GuestField, string>>
  ignored: string[]
}

export function mapHeader(cells: Cell[]): HeaderMap {
  const map: HeaderMap = { columns: {}, labels: {}, ignored: [] }
  cells.forEach((cell, i) => {
    const label = cellText(cell)
    if (!label) return
    const field = fieldOfHeader(headerKey(label))
    if (field && map.columns[field] === undefined) {
      map.columns[field] = i
      map.labels[field] = label
    } else map.ignored.push(label)
  })
  return map
}

export const requiredGuestFields: GuestField[] = ['fullName', 'idNumber', 'fromDate', 'toDate']

const pad = (n: number) => String(n).padStart(2, '0')
const isoOfUtc = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`

/** A cell as text (numbers without exponent; dates as YYYY-MM-DD, with HH:MM when they carry a time). */
export function cellText(cell: Cell): string {
  if (cell === null) return ''
  if (cell instanceof Date) {
    const time =
      cell.getUTCHours() || cell.getUTCMinutes()
        ? ` ${pad(cell.getUTCHours())}:${pad(cell.getUTCMinutes())}`
        : ''
    return Number.isNaN(cell.getTime()) ? '' : `${isoOfUtc(cell)}${time}`
  }
  if (typeof cell === 'number') return Number.isInteger(cell) ? BigInt(cell).toString() : String(cell)
  return String(cell).trim()
}

/**
 * A date as a business writes it: 04/12/2026, 4-12-2026, 04.12.26, 2026-12-04, or an Excel date
 * (a date cell, or its serial number); a time after it ("04/12/2026 21:30") is the arrival time.
 * Returns the text unchanged when it is not a date, so the row's check reports it.
 */
export function parseDateCell(cell: Cell): { date: string; time?: string } {
  if (typeof cell === 'number' && cell > 20000 && cell < 80000) {
    const ms = Math.round((cell - 25569) * 86_400_000)
    const d = new Date(ms)
    const time = cell % 1 ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}` : undefined
    return { date: isoOfUtc(d), ...(time ? { time } : {}) }
  }
  const text = cellText(cell)
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T,]+(\d{1,2})[:hH](\d{2})?)?$/.exec(text)
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::\d{2})?)?$/.exec(text)
  let y: number
  let mo: number
  let d: number
  let time: string | undefined
  if (m) {
    d = Number(m[1])
    mo = Number(m[2])
    y = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3])
    if (m[4]) time = `${pad(Number(m[4]))}:${m[5] ?? '00'}`
  } else if (iso) {
    y = Number(iso[1])
    mo = Number(iso[2])
    d = Number(iso[3])
    if (iso[4]) time = `${iso[4]}:${iso[5]}`
  } else return { date: text }
  const date = `${y}-${pad(mo)}-${pad(d)}`
  const real = new Date(`${date}T00:00:00Z`)
  if (Number.isNaN(real.getTime()) || isoOfUtc(real) !== date) return { date: text }
  return { date, ...(time ? { time } : {}) }
}

/** "21:30", "21h30", "21h", "9:05", or an Excel time (a fraction of a day). */
export function parseTimeCell(cell: Cell): string {
  if (cell instanceof Date) return `${pad(cell.getUTCHours())}:${pad(cell.getUTCMinutes())}`
  if (typeof cell === 'number' && cell >= 0 && cell < 1) {
    const minutes = Math.round(cell * 24 * 60)
    return `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`
  }
  const text = cellText(cell)
  const m = /^(\d{1,2})\s*[:hHgG]\s*(\d{2})?$/.exec(text)
  return m ? `${pad(Number(m[1]))}:${m[2] ?? '00'}` : text
}

/** Country names as hotels write them, folded; two-letter codes pass as they are. */
const countries: Record<string, string> = {
  vietnam: 'VN',
  vn: 'VN',
  vnm: 'VN',
  han: 'KR',
  hanquoc: 'KR',
  korea: 'KR',
  southkorea: 'KR',
  kor: 'KR',
  trungquoc: 'CN',
  china: 'CN',
  chn: 'CN',
  nhat: 'JP',
  nhatban: 'JP',
  japan: 'JP',
  jpn: 'JP',
  my: 'US',
  hoaky: 'US',
  usa: 'US',
  unitedstates: 'US',
  phap: 'FR',
  france: 'FR',
  fra: 'FR',
  duc: 'DE',
  germany: 'DE',
  deu: 'DE',
  anh: 'GB',
  uk: 'GB',
  unitedkingdom: 'GB',
  gbr: 'GB',
  uc: 'AU',
  australia: 'AU',
  aus: 'AU',
  nga: 'RU',
  russia: 'RU',
  rus: 'RU',
  thailan: 'TH',
  thailand: 'TH',
  tha: 'TH',
  dailoan: 'TW',
  taiwan: 'TW',
  twn: 'TW',
  singapore: 'SG',
  sgp: 'SG',
  malaysia: 'MY',
  mys: 'MY',
  lao: 'LA',
  laos: 'LA',
  campuchia: 'KH',
  cambodia: 'KH',
  khm: 'KH',
  ando: 'IN',
  india: 'IN',
  ind: 'IN',
  canada: 'CA',
  can: 'CA',
  y: 'IT',
  italy: 'IT',
  ita: 'IT',
  taybannha: 'ES',
  spain: 'ES',
  esp: 'ES',
  halan: 'NL',
  netherlands: 'NL',
  nld: 'NL',
  philippines: 'PH',
  phl: 'PH',
  indonesia: 'ID',
  idn: 'ID',
  hongkong: 'HK',
  hkg: 'HK',
  newzealand: 'NZ',
  nzl: 'NZ',
  thuydien: 'SE',
  sweden: 'SE',
  swe: 'SE',
  thuysi: 'CH',
  switzerland: 'CH',
  che: 'CH',
  bi: 'BE',
  belgium: 'BE',
  bel: 'BE',
  daomach: 'DK',
  denmark: 'DK',
  dnk: 'DK',
  nauy: 'NO',
  norway: 'NO',
  nor: 'NO',
  bolan: 'PL',
  poland: 'PL',
  pol: 'PL',
  ucraina: 'UA',
  ukraine: 'UA',
  ukr: 'UA',
  israel: 'IL',
  isr: 'IL',
  myanmar: 'MM',
  mmr: 'MM',
  mongco: 'MN',
  mongolia: 'MN',
}

/** ISO 3166 two-letter code, or the text unchanged (the row's check says it is not a code). */
export function parseNationality(cell: Cell): string {
  const text = cellText(cell)
  // Upper-case letters are a code ("MY" is Malaysia); words are names ("Mỹ" is the United States).
  if (/^[A-Z]{2}$/.test(text)) return text
  return countries[headerKey(text)] ?? (/^[a-z]{2}$/i.test(text) ? text.toUpperCase() : text)
}

/** The ID's kind from a "Loại giấy tờ" cell, or from the number and nationality when there is none. */
export function parseIdKind(cell: Cell, idNumber: string, nationality: string): string {
  const k = headerKey(cellText(cell))
  if (k.includes('hochieu') || k.includes('passport') || k === 'hc' || k === 'pp') return 'passport'
  if (/cccd|cmnd|cancuoc|dinhdanh|citizen|^id$|^cc$/.test(k)) return 'citizen_id'
  if (k) return k
  if (nationality && nationality !== 'VN') return 'passport'
  return /^\d+$/.test(idNumber) || !nationality ? 'citizen_id' : 'passport'
}
