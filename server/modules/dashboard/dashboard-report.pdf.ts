import { type Locale, translate } from '@common/i18n/messages'
import type { TDashboard } from '@common/schemas/dashboard'
import PDFDocument from 'pdfkit'
import { posterFontFiles } from '../posters/poster-fonts'
import { type ReportTable, reportTables } from './dashboard-report.tables'

const MARGIN = 50
const A4 = { width: 595.28, height: 841.89 }
const WIDTH = A4.width - 2 * MARGIN
const ROW = 15
const BLUE = '#1d4ed8'

const dmy = (iso: string) => iso.slice(0, 10).split('-').reverse().join('/')

/**
 * The monthly report: A4, in the viewer's language (Vietnamese by default), the Be Vietnam Pro
 * font the posters embed; a header with the unit, period and date, a bar chart of the kinds of
 * interaction, then every table of the dashboard, breaking pages where a row would not fit.
 */
export function renderReportPdf(d: TDashboard, locale: Locale): PDFKit.PDFDocument {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, `report.${key}`, vars)
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: `${t('title')} — ${d.unit.name} — ${d.period.from.slice(0, 7)}`, Creator: 'NhipCau' },
  })
  doc.registerFont('regular', posterFontFiles.regular)
  doc.registerFont('bold', posterFontFiles.bold)
  doc
    .font('bold')
    .fontSize(11)
    .fillColor('#111')
    .text(t('unit', { name: d.unit.name }).toUpperCase())
  doc.moveDown(0.8).fontSize(15).fillColor(BLUE).text(t('title'), { align: 'center' })
  doc
    .font('regular')
    .fontSize(10)
    .fillColor('#111')
    .moveDown(0.3)
    .text(
      t('period', {
        from: dmy(d.period.from),
        to: dmy(d.period.to),
        previousFrom: dmy(d.period.previousFrom),
        previousTo: dmy(d.period.previousTo),
      }),
      { align: 'center' },
    )
    .text(t('generated', { date: dmy(new Date(Date.parse(d.generatedAt) + 7 * 3_600_000).toISOString()) }), {
      align: 'center',
    })
  doc.moveDown(1)
  drawKindBars(doc, d, t)
  for (const table of reportTables(d, locale)) drawTable(doc, table)
  doc
    .moveDown(1)
    .font('regular')
    .fontSize(8)
    .fillColor('#555')
    .text(t('times_note', { minutes: d.targetMinutes }), MARGIN)
  doc.text(t('definitions'), MARGIN)
  doc.end()
  return doc
}

function drawKindBars(doc: PDFKit.PDFDocument, d: TDashboard, t: (k: string) => string) {
  const max = Math.max(1, ...d.interactions.byKind.map((k) => k.current))
  const labelW = 170
  for (const k of d.interactions.byKind) {
    const y = doc.y
    doc
      .font('regular')
      .fontSize(9)
      .fillColor('#111')
      .text(t(`kind.${k.kind}`), MARGIN, y, { width: labelW, lineBreak: false })
    const w = ((WIDTH - labelW - 50) * k.current) / max
    doc.rect(MARGIN + labelW, y + 1, Math.max(w, 0.5), 10).fill(BLUE)
    doc
      .fillColor('#111')
      .text(k.current.toLocaleString('vi-VN'), MARGIN + labelW + w + 6, y, { lineBreak: false })
    doc.y = y + ROW
  }
  doc.x = MARGIN
  doc.moveDown(0.5)
}

function drawTable(doc: PDFKit.PDFDocument, table: ReportTable) {
  if (doc.y > A4.height - MARGIN - 4 * ROW) doc.addPage()
  doc.moveDown(0.6).font('bold').fontSize(11).fillColor(BLUE).text(table.title, MARGIN)
  const first = table.head.length > 3 ? WIDTH * 0.34 : WIDTH * 0.6
  const rest = (WIDTH - first) / Math.max(1, table.head.length - 1)
  const xs = table.head.map((_, i) => (i === 0 ? MARGIN : MARGIN + first + (i - 1) * rest))
  const row = (cells: (string | number)[], bold: boolean) => {
    if (doc.y > A4.height - MARGIN - ROW) doc.addPage()
    const y = doc.y
    doc
      .font(bold ? 'bold' : 'regular')
      .fontSize(8.5)
      .fillColor('#111')
    cells.forEach((c, i) => {
      const text = typeof c === 'number' ? c.toLocaleString('vi-VN') : String(c)
      doc.text(text, xs[i]!, y, {
        width: (i === 0 ? first : rest) - 4,
        lineBreak: false,
        ellipsis: true,
        align: i === 0 ? 'left' : 'right',
      })
    })
    doc
      .moveTo(MARGIN, y + ROW - 3)
      .lineTo(MARGIN + WIDTH, y + ROW - 3)
      .lineWidth(0.3)
      .strokeColor('#ccc')
      .stroke()
    doc.y = y + ROW
  }
  doc.moveDown(0.2)
  row(table.head, true)
  for (const r of table.rows) row(r, false)
  doc.x = MARGIN
}
