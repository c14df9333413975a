import { inflateRawSync } from 'node:zlib'
import { AppError } from '../../lib/errors'

/** A cell as read: text from CSV; text, number, boolean or date from XLSX. */
export type Cell = string | number | boolean | Date | null
export interface GuestTable {
  kind: 'csv' | 'xlsx'
  /** Rows as the spreadsheet numbers them (1 = the header), blank rows dropped. */
  rows: { row: number; cells: Cell[] }[]
}

export const MAX_COLUMNS = 60
/** Cells longer than this are cut here and refused by the row's checks. */
const MAX_CELL = 500
/** Inside an XLSX (a zip of XML): at most this much XML, so a small "zip bomb" cannot fill memory. */
const ZIP_MAX_ENTRIES = 200
const ZIP_MAX_ENTRY_BYTES = 16 * 1024 * 1024
const ZIP_MAX_TOTAL_BYTES = 40 * 1024 * 1024

const fileError = (messageKey: string, vars?: Record<string, string | number>) =>
  new AppError('validation', messageKey, {
    fields: [{ field: 'file', code: 'file_invalid', messageKey }],
    ...(vars ? { vars } : {}),
  })

/**
 * Reads an uploaded guest list by its content, never its name: a zip holding an Excel workbook is
 * XLSX; an old binary .xls is refused with a way out; anything else must be text (UTF-8, UTF-16 with
 * its mark, or Windows-1258 as Vietnamese Excel saves "CSV") with a comma, semicolon or tab between cells.
 */
export async function readGuestFile(data: Buffer, maxRows: number): Promise<GuestTable> {
  if (data.length === 0) throw fileError('movements.file_empty')
  if (data.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return readXlsx(data, maxRows)
  if (data.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])))
    throw fileError('movements.file_xls')
  const text = decodeText(data)
  if (text === null) throw fileError('movements.file_type')
  return { kind: 'csv', rows: keepRows(parseDelimited(text), maxRows) }
}

function decodeText(data: Buffer): string | null {
  let text: string
  if (data[0] === 0xff && data[1] === 0xfe) text = new TextDecoder('utf-16le').decode(data.subarray(2))
  else if (data[0] === 0xfe && data[1] === 0xff) text = new TextDecoder('utf-16be').decode(data.subarray(2))
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data)
    } catch {
      text = new TextDecoder('windows-1258').decode(data)
    }
  }
  // Control characters other than tab and line breaks mean a binary file (an image, a PDF…).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly what a text file may not hold
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/.test(text)) return null
  return text.replace(/^\ufeff/, '').normalize('NFC')
}

/** RFC 4180 cells ("" inside quotes; line breaks inside quotes), with the separator the header uses. */
export function parseDelimited(text: string): Cell[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/))
  const count = (c: string) => firstLine.split(c).length - 1
  const sep = [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best), ',')
  const rows: Cell[][] = []
  let row: Cell[] = []
  let cell = ''
  let quoted = false
  let atStart = true
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"' && atStart) {
      quoted = true
      atStart = false
    } else if (ch === sep) {
      row.push(cell)
      cell = ''
      atStart = true
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      atStart = true
    } else {
      cell += ch
      atStart = false
    }
  }
  if (cell !== '' || row.length) rows.push([...row, cell])
  return rows
}

const isBlank = (c: Cell) => c === null || (typeof c === 'string' && c.trim() === '')

function keepRows(all: Cell[][], maxRows: number): GuestTable['rows'] {
  const rows: GuestTable['rows'] = []
  all.forEach((cells, i) => {
    if (cells.every(isBlank)) return
    if (cells.length > MAX_COLUMNS) throw fileError('movements.file_columns', { max: MAX_COLUMNS })
    rows.push({
      row: i + 1,
      cells: cells.map((c) => (typeof c === 'string' ? c.slice(0, MAX_CELL) : c)),
    })
  })
  // The header and the guests.
  if (rows.length > maxRows + 1) throw fileError('movements.file_rows', { max: maxRows })
  return rows
}

async function readXlsx(data: Buffer, maxRows: number): Promise<GuestTable> {
  const names = checkZip(data)
  if (!names.includes('xl/workbook.xml')) throw fileError('movements.file_type')
  // Loaded on the first XLSX only: start-up and every other route do without it.
  const { readSheet } = await import('read-excel-file/node')
  let sheet: Cell[][]
  try {
    sheet = (await readSheet(data)) as Cell[][]
  } catch {
    throw fileError('movements.file_unreadable')
  }
  return { kind: 'xlsx', rows: keepRows(sheet, maxRows) }
}

/**
 * Walks the zip's central directory and inflates every entry with a ceiling, so the sizes the
 * archive declares are the sizes it holds and their sum stays small. Returns the entry names.
 */
function checkZip(data: Buffer): string[] {
  const bad = () => fileError('movements.file_unreadable')
  let eocd = -1
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw bad()
  const count = data.readUInt16LE(eocd + 10)
  let at = data.readUInt32LE(eocd + 16)
  if (count > ZIP_MAX_ENTRIES) throw bad()
  const names: string[] = []
  let total = 0
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) throw bad()
    const method = data.readUInt16LE(at + 10)
    const compressed = data.readUInt32LE(at + 20)
    const size = data.readUInt32LE(at + 24)
    const nameLength = data.readUInt16LE(at + 28)
    const next = at + 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32)
    const local = data.readUInt32LE(at + 42)
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    total += size
    if (size > ZIP_MAX_ENTRY_BYTES || total > ZIP_MAX_TOTAL_BYTES || (method !== 0 && method !== 8))
      throw bad()
    if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw bad()
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28)
    const body = data.subarray(start, start + compressed)
    if (body.length !== compressed) throw bad()
    let actual = compressed
    if (method === 8) {
      try {
        actual = inflateRawSync(body, { maxOutputLength: size + 1 }).length
      } catch {
        throw bad()
      }
    }
    if (actual !== size) throw bad()
    names.push(name)
    at = next
  }
  return names
}
