import PDFDocument from 'pdfkit'
import { posterFontFiles } from './poster-fonts'
import { darkCells, PAGE, type PosterElement } from './poster-layout'

/** Renders laid-out posters as one A4 PDF, a page each, with the Vietnamese font embedded (subset). */
export function renderPostersPdf(pages: PosterElement[][], title: string): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    autoFirstPage: false,
    info: { Title: title, Creator: 'NhipCau' },
  })
  doc.registerFont('regular', posterFontFiles.regular)
  doc.registerFont('bold', posterFontFiles.bold)
  for (const elements of pages) {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 })
    for (const el of elements) drawElement(doc, el)
  }
  doc.end()
  return doc
}

function drawElement(doc: PDFKit.PDFDocument, el: PosterElement): void {
  switch (el.kind) {
    case 'rect':
      if (el.radius) doc.roundedRect(el.x, el.y, el.w, el.h, el.radius).fill(el.fill)
      else doc.rect(el.x, el.y, el.w, el.h).fill(el.fill)
      return
    case 'circle':
      doc.circle(el.cx, el.cy, el.r).fill(el.fill)
      return
    case 'portrait':
      doc.save()
      doc.circle(el.cx, el.cy, el.r).clip()
      doc.image(el.jpeg, el.cx - el.r, el.cy - el.r, { width: 2 * el.r, height: 2 * el.r })
      doc.restore()
      return
    case 'text':
      doc
        .font(el.weight)
        .fontSize(el.size)
        .fillColor(el.fill)
        .text(el.text.normalize('NFC'), el.x, el.y, { lineBreak: false, baseline: 'alphabetic' })
      return
    case 'qr': {
      const cell = el.size / el.modules.length
      doc.fillColor('#000000')
      for (const { row, col } of darkCells(el.modules))
        doc.rect(el.x + col * cell, el.y + row * cell, cell + 0.05, cell + 0.05)
      doc.fill()
      return
    }
  }
}
