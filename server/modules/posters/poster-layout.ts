import { type Locale, translate } from '@common/i18n/messages'
import QRCode from 'qrcode'
import { type FontWeight, textWidth, wrapText } from './poster-fonts'

/** What a poster says; gathered by the service from the area, its officer and the ward. */
export interface PosterContent {
  code: string
  scanUrl: string
  provinceName: string
  unitName: string
  areaName: string
  /** `photo`: the officer's approved portrait (square JPEG), drawn in the circle instead of initials. */
  officer: { name: string; phone: string | null; photo: Buffer | null } | null
  commanders: { name: string; title: string | null; phone: string | null }[]
  unitPhone: string | null
}

export type PosterElement =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; fill: string; radius?: number }
  | { kind: 'text'; x: number; y: number; text: string; size: number; weight: FontWeight; fill: string }
  | { kind: 'qr'; x: number; y: number; size: number; modules: boolean[][] }
  | { kind: 'circle'; cx: number; cy: number; r: number; fill: string }
  /** A square JPEG clipped to the circle it fills. */
  | { kind: 'portrait'; cx: number; cy: number; r: number; jpeg: Buffer }

/** A4 portrait in PDF points. */
export const PAGE = { width: 595.28, height: 841.89 } as const
const M = 40
const NAVY = '#0b3a6e'
const INK = '#1a2230'
const MUTED = '#3d4a5c'
const WARN_BG = '#fdf1e7'

/** The dark modules of a QR matrix as cells, for renderers that draw squares. */
export function* darkCells(modules: boolean[][]): Generator<{ row: number; col: number }> {
  for (const [row, cells] of modules.entries())
    for (const [col, dark] of cells.entries()) if (dark) yield { row, col }
}

/** Formats +84912000011 as 0912 000 011, the way residents read and dial numbers. */
export function displayPhone(phone: string | null): string {
  if (!phone) return ''
  const local = phone.startsWith('+84') ? `0${phone.slice(3)}` : phone
  if (local.length === 10) return `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`
  // Landlines: 0 + 2-digit area code + 8 digits, e.g. 024 3978 1234.
  if (local.length === 11) return `${local.slice(0, 3)} ${local.slice(3, 7)} ${local.slice(7)}`
  return local
}

/**
 * Lays the poster out once as boxes, lines of text and QR modules. The PDF and the SVG/PNG
 * renderers draw the same elements, so the three formats never disagree.
 */
export function layoutPoster(content: PosterContent, locale: Locale): PosterElement[] {
  const t = (key: string, vars?: Record<string, string>) => translate(locale, `poster.${key}`, vars)
  const out: PosterElement[] = []
  const width = PAGE.width - 2 * M
  let y = 0
  const text = (
    s: string,
    size: number,
    weight: FontWeight,
    fill: string,
    opts: { center?: boolean; x?: number; maxWidth?: number } = {},
  ) => {
    const maxWidth = opts.maxWidth ?? width
    for (const line of wrapText(s, weight, size, maxWidth)) {
      const x = opts.center ? (PAGE.width - textWidth(line, weight, size)) / 2 : (opts.x ?? M)
      y += size * 1.25
      out.push({ kind: 'text', x, y, text: line, size, weight, fill })
    }
    y += size * 0.35
  }

  out.push({ kind: 'rect', x: 0, y: 0, w: PAGE.width, h: 112, fill: NAVY })
  y = 18
  text(t('header', { unit: content.unitName.toUpperCase() }), 20, 'bold', '#ffffff', { center: true })
  text(content.provinceName, 13, 'regular', '#dbe7f5', { center: true })
  text(t('tagline'), 13, 'regular', '#dbe7f5', { center: true })

  y = 132
  text(content.areaName, 30, 'bold', NAVY, { center: true })

  const cardTop = y + 6
  out.push({ kind: 'rect', x: M, y: cardTop, w: width, h: 92, fill: '#eef3f9', radius: 10 })
  const initials = (content.officer?.name ?? '?')
    .split(/\s+/)
    .slice(-2)
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase()
  if (content.officer?.photo)
    out.push({ kind: 'portrait', cx: M + 50, cy: cardTop + 46, r: 32, jpeg: content.officer.photo })
  else {
    out.push({ kind: 'circle', cx: M + 50, cy: cardTop + 46, r: 32, fill: NAVY })
    out.push({
      kind: 'text',
      x: M + 50 - textWidth(initials, 'bold', 22) / 2,
      y: cardTop + 54,
      text: initials,
      size: 22,
      weight: 'bold',
      fill: '#ffffff',
    })
  }
  y = cardTop + 8
  const cardX = M + 100
  const cardWidth = width - 116
  text(t('officer_label'), 12, 'regular', MUTED, { x: cardX, maxWidth: cardWidth })
  text(content.officer?.name ?? t('officer_none'), 19, 'bold', INK, { x: cardX, maxWidth: cardWidth })
  if (content.officer?.phone)
    text(t('phone', { phone: displayPhone(content.officer.phone) }), 16, 'bold', NAVY, {
      x: cardX,
      maxWidth: cardWidth,
    })

  const qrSize = 250
  const qrTop = cardTop + 112
  const qr = QRCode.create(content.scanUrl, { errorCorrectionLevel: 'M' })
  const modules: boolean[][] = []
  for (let r = 0; r < qr.modules.size; r++) {
    const row: boolean[] = []
    for (let c = 0; c < qr.modules.size; c++) row.push(qr.modules.get(r, c) === 1)
    modules.push(row)
  }
  out.push({
    kind: 'rect',
    x: (PAGE.width - qrSize) / 2 - 12,
    y: qrTop - 12,
    w: qrSize + 24,
    h: qrSize + 24,
    fill: '#ffffff',
  })
  out.push({ kind: 'qr', x: (PAGE.width - qrSize) / 2, y: qrTop, size: qrSize, modules })
  y = qrTop + qrSize + 4
  text(t('code', { code: content.code }), 11, 'regular', MUTED, { center: true })

  y += 4
  text(t('scan_title'), 17, 'bold', INK)
  for (const step of ['step1', 'step2', 'step3']) text(t(step), 13, 'regular', INK)

  const warnTop = y + 6
  out.push({ kind: 'rect', x: M, y: warnTop, w: width, h: 50, fill: WARN_BG, radius: 8 })
  y = warnTop + 4
  text(t('scam'), 12, 'bold', '#7a3a06', { x: M + 12, maxWidth: width - 24 })

  y = Math.max(y, warnTop + 50) + 8
  if (content.commanders.length > 0) {
    text(t('commanders'), 12, 'bold', MUTED)
    for (const c of content.commanders.slice(0, 3)) {
      text([c.title, c.name, displayPhone(c.phone)].filter(Boolean).join(' · '), 12, 'regular', INK)
    }
  }
  const footer = [
    content.unitPhone ? t('unit_phone', { phone: displayPhone(content.unitPhone) }) : '',
    t('emergency'),
  ]
    .filter(Boolean)
    .join('   ·   ')
  out.push({ kind: 'rect', x: 0, y: PAGE.height - 40, w: PAGE.width, h: 40, fill: NAVY })
  out.push({
    kind: 'text',
    x: (PAGE.width - textWidth(footer, 'bold', 12)) / 2,
    y: PAGE.height - 15,
    text: footer,
    size: 12,
    weight: 'bold',
    fill: '#ffffff',
  })
  return out
}
