import { slugify } from '@common/text/fold'
import { normalizeVietnamesePhone } from '@common/text/phone'
import { z } from 'zod'
import { parseCsv } from './csv'

/** The columns of a unit file (CSV header or JSON keys); parent is the parent's code or slug. */
export const unitFileColumns = [
  'code',
  'slug',
  'parent',
  'level',
  'kind',
  'name',
  'address',
  'phone',
  'valid_from',
  'valid_to',
  'household_count',
  'resident_count',
  'geometry',
] as const
export type UnitFileColumn = (typeof unitFileColumns)[number]

export interface ImportProblem {
  /** CSV: the line in the file; JSON: the position of the entry in the list (1-based). */
  line: number
  field?: string
  code: string
  /** Values for the message, e.g. the other line or the missing parent. */
  vars?: Record<string, string | number>
}

const ZPosition = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
export const ZGeometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: ZPosition }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(ZPosition).min(4)).min(1) }),
])
export type TGeometry = z.infer<typeof ZGeometry>

/** One valid row of a unit file, ready to be matched against the database. */
export interface ImportRow {
  line: number
  code: string | null
  /** Given in the file; when null the slug of a matched unit is kept, or one is made from the name. */
  slug: string | null
  parent: string | null
  level: string
  kind: string
  name: string
  address: string | null
  phone: string | null
  validFrom: string | null
  validTo: string | null
  householdCount: number | null
  residentCount: number | null
  geometry: TGeometry | null
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/
const isRealDate = (s: string) =>
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s)

/** Turns one record (string cells from CSV, or JSON values) into a row, or problems naming the field. */
export function validateRecord(line: number, rec: Record<string, unknown>): ImportRow | ImportProblem[] {
  const problems: ImportProblem[] = []
  const bad = (field: string, code: string, vars?: Record<string, string | number>) =>
    problems.push({ line, field, code, ...(vars ? { vars } : {}) })
  const text = (field: UnitFileColumn, max = 300): string | null => {
    const v = rec[field]
    if (v === undefined || v === null) return null
    if (typeof v !== 'string' && typeof v !== 'number') {
      bad(field, 'not_text')
      return null
    }
    const s = String(v).trim()
    if (s.length > max) bad(field, 'too_long', { max })
    return s === '' ? null : s
  }
  const count = (field: UnitFileColumn): number | null => {
    const s = text(field)
    if (s === null) return null
    if (!/^\d{1,9}$/.test(s)) {
      bad(field, 'not_count')
      return null
    }
    return Number(s)
  }
  const date = (field: UnitFileColumn): string | null => {
    const s = text(field)
    if (s !== null && !(isoDate.test(s) && isRealDate(s))) bad(field, 'not_date')
    return s
  }

  const code = text('code', 20)
  if (code !== null && !/^[0-9A-Za-z._-]+$/.test(code)) bad('code', 'bad_code')
  const slug = text('slug', 80)
  if (slug !== null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) bad('slug', 'bad_slug')
  const name = text('name', 200)
  if (name === null) bad('name', 'required')
  if (name !== null && slug === null && code === null && slugify(name) === '') bad('name', 'bad_slug')
  const level = text('level', 40)
  if (level === null) bad('level', 'required')
  const kind = text('kind', 40)
  if (kind === null) bad('kind', 'required')
  const rawPhone = text('phone', 40)
  let phone: string | null = null
  if (rawPhone !== null) {
    phone = normalizeVietnamesePhone(rawPhone)
    if (phone === null) bad('phone', 'phone_invalid')
  }
  const validFrom = date('valid_from')
  const validTo = date('valid_to')
  if (validFrom && validTo && validTo < validFrom) bad('valid_to', 'before_valid_from')
  let geometry: TGeometry | null = null
  const rawGeometry = rec.geometry
  if (rawGeometry !== undefined && rawGeometry !== null && rawGeometry !== '') {
    let value: unknown = rawGeometry
    if (typeof rawGeometry === 'string') {
      try {
        value = JSON.parse(rawGeometry)
      } catch {
        value = undefined
      }
    }
    const parsed = ZGeometry.safeParse(value)
    if (parsed.success) geometry = parsed.data
    else bad('geometry', 'bad_geometry')
  }
  const row: ImportRow = {
    line,
    code,
    slug,
    parent: text('parent', 80),
    level: level ?? '',
    kind: kind ?? '',
    name: name ?? '',
    address: text('address', 500),
    phone,
    validFrom,
    validTo,
    householdCount: count('household_count'),
    residentCount: count('resident_count'),
    geometry,
  }
  return problems.length ? problems : row
}

export interface ParsedFile {
  rows: ImportRow[]
  problems: ImportProblem[]
}

/** Reads a CSV unit file: the first record is the header; unknown or missing columns are reported on it. */
export function readCsvUnits(text: string): ParsedFile {
  const records = parseCsv(text)
  const [header, ...body] = records
  if (!header) return { rows: [], problems: [{ line: 1, code: 'empty_file' }] }
  const names = header.cells.map((c) => c.trim().toLowerCase())
  const problems: ImportProblem[] = []
  for (const n of names) {
    if (!(unitFileColumns as readonly string[]).includes(n))
      problems.push({ line: header.line, field: n, code: 'unknown_column' })
  }
  for (const required of ['name', 'level', 'kind'] as const) {
    if (!names.includes(required))
      problems.push({ line: header.line, field: required, code: 'missing_column' })
  }
  if (problems.length) return { rows: [], problems }
  const rows: ImportRow[] = []
  for (const rec of body) {
    if (rec.cells.length !== names.length) {
      problems.push({
        line: rec.line,
        code: 'cell_count',
        vars: { expected: names.length, got: rec.cells.length },
      })
      continue
    }
    const obj = Object.fromEntries(names.map((n, i) => [n, rec.cells[i]]))
    const result = validateRecord(rec.line, obj)
    if (Array.isArray(result)) problems.push(...result)
    else rows.push(result)
  }
  return { rows, problems }
}

/** Reads a JSON unit file: a list of objects, or `{ "units": [...] }`, with the same keys as the CSV columns. */
export function readJsonUnits(text: string): ParsedFile {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    const at = /position (\d+)/.exec(String(err))?.[1]
    const line = at ? text.slice(0, Number(at)).split('\n').length : 1
    return { rows: [], problems: [{ line, code: 'bad_json' }] }
  }
  const list = Array.isArray(data) ? data : (data as { units?: unknown } | null)?.units
  if (!Array.isArray(list)) return { rows: [], problems: [{ line: 1, code: 'bad_json' }] }
  const rows: ImportRow[] = []
  const problems: ImportProblem[] = []
  list.forEach((item, index) => {
    const line = index + 1
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ line, code: 'not_object' })
      return
    }
    const unknown = Object.keys(item).filter((k) => !(unitFileColumns as readonly string[]).includes(k))
    for (const field of unknown) problems.push({ line, field, code: 'unknown_column' })
    const result = validateRecord(line, item as Record<string, unknown>)
    if (Array.isArray(result)) problems.push(...result)
    else if (!unknown.length) rows.push(result)
  })
  return { rows, problems }
}
