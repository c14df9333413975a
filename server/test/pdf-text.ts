// PDF.js (Mozilla's reader, pure JavaScript) reads the text back, so the tests need Node only.
// The legacy build is the one PDF.js ships for Node.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** Text of every page of a PDF, one string per page, lines split where the PDF ends a line. */
export async function pdfPagesText(pdf: Uint8Array): Promise<string[]> {
  // PDF.js takes ownership of (and detaches) the buffer it is given: hand it a copy.
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise
  try {
    const pages: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent()
      let text = ''
      for (const item of content.items) {
        if (!('str' in item)) continue
        text += item.str + (item.hasEOL ? '\n' : '')
      }
      pages.push(text)
    }
    return pages
  } finally {
    await doc.destroy()
  }
}
