import sharp from 'sharp'
import { posterFonts } from './poster-fonts'
import { darkCells, PAGE, type PosterElement } from './poster-layout'

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`)

/**
 * The poster as a self-contained SVG: text is drawn as glyph outlines from the embedded font,
 * so it renders the same everywhere (and in sharp for the PNG) with no font installed.
 */
export function renderPosterSvg(elements: PosterElement[], title: string): string {
  const parts: string[] = []
  for (const el of elements) {
    switch (el.kind) {
      case 'rect':
        parts.push(
          `<rect x="${el.x}" y="${el.y}" width="${el.w}" height="${el.h}" rx="${el.radius ?? 0}" fill="${el.fill}"/>`,
        )
        break
      case 'circle':
        parts.push(`<circle cx="${el.cx}" cy="${el.cy}" r="${el.r}" fill="${el.fill}"/>`)
        break
      case 'portrait': {
        const [x, y, d] = [el.cx - el.r, el.cy - el.r, 2 * el.r]
        parts.push(
          `<clipPath id="portrait"><circle cx="${el.cx}" cy="${el.cy}" r="${el.r}"/></clipPath><image class="officer-photo" x="${x}" y="${y}" width="${d}" height="${d}" clip-path="url(#portrait)" href="data:image/jpeg;base64,${el.jpeg.toString('base64')}"/>`,
        )
        break
      }
      case 'text':
        parts.push(textPath(el))
        break
      case 'qr': {
        const cell = el.size / el.modules.length
        const d: string[] = []
        const c = cell.toFixed(2)
        for (const { row, col } of darkCells(el.modules)) {
          d.push(`M${(el.x + col * cell).toFixed(2)} ${(el.y + row * cell).toFixed(2)}h${c}v${c}h-${c}z`)
        }
        parts.push(`<path fill="#000" d="${d.join('')}"/>`)
        break
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PAGE.width} ${PAGE.height}" width="${PAGE.width}pt" height="${PAGE.height}pt"><title>${esc(title)}</title><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`
}

function textPath(el: Extract<PosterElement, { kind: 'text' }>): string {
  const font = posterFonts()[el.weight]
  const run = font.layout(el.text.normalize('NFC'))
  const scale = el.size / font.unitsPerEm
  const glyphs: string[] = []
  let x = 0
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i]!
    const d = glyph.path.toSVG()
    if (d)
      glyphs.push(
        `<path transform="translate(${(x + pos.xOffset).toFixed(1)} ${pos.yOffset.toFixed(1)})" d="${d}"/>`,
      )
    x += pos.xAdvance
  })
  // Font units grow upwards; SVG grows downwards: flip around the baseline.
  return `<g aria-label="${esc(el.text)}" fill="${el.fill}" transform="translate(${el.x.toFixed(2)} ${el.y.toFixed(2)}) scale(${scale} ${-scale})">${glyphs.join('')}</g>`
}

/** PNG at print-friendly resolution (A4 at ~150 dpi). */
export function renderPosterPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 150 }).png().toBuffer()
}
