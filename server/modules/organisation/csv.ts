/** A parsed CSV record with the 1-based line number it starts on (for error messages). */
export interface CsvRecord {
  line: number
  cells: string[]
}

/**
 * Parses RFC 4180 CSV: quoted cells may hold commas, quotes ("") and line breaks; CRLF or LF.
 * Blank lines and lines starting with `#` (outside quotes) are comments and are skipped, but
 * still counted, so line numbers match what an editor shows.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: CsvRecord[] = []
  let line = 1
  let i = 0
  while (i < src.length) {
    const startLine = line
    if (src[i] === '#' || src[i] === '\n' || src[i] === '\r') {
      // Comment or blank line: skip to the end of it.
      while (i < src.length && src[i] !== '\n') i++
      i++
      line++
      continue
    }
    const cells: string[] = []
    let cell = ''
    let quoted = false
    let atCellStart = true
    for (; i < src.length; i++) {
      const ch = src[i]!
      if (quoted) {
        if (ch === '"' && src[i + 1] === '"') {
          cell += '"'
          i++
        } else if (ch === '"') quoted = false
        else {
          if (ch === '\n') line++
          cell += ch
        }
        continue
      }
      if (ch === '"' && atCellStart) {
        quoted = true
        atCellStart = false
      } else if (ch === ',') {
        cells.push(cell)
        cell = ''
        atCellStart = true
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && src[i + 1] === '\n') i++
        i++
        line++
        break
      } else {
        cell += ch
        atCellStart = false
      }
    }
    cells.push(cell)
    records.push({ line: startLine, cells })
  }
  return records
}

const needsQuotes = /[",\r\n]|^\s|\s$|^#/

/** One CSV cell: quoted only when it has to be. */
export const csvCell = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return ''
  const s = String(value)
  return needsQuotes.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export const toCsv = (rows: (string | number | null | undefined)[][]): string =>
  `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`
