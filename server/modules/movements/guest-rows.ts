import { type Locale, translate } from '@common/i18n/messages'
import { type TGuestRow, type TGuestRowError, ZGuestRow } from '@common/schemas/guest-lists'
import { z } from 'zod'
import { findUnsafeInput } from '../../lib/edge-guard'
import {
  cellText,
  type GuestField,
  guestFields,
  mapHeader,
  parseDateCell,
  parseIdKind,
  parseNationality,
  parseTimeCell,
  requiredGuestFields,
} from './guest-columns'
import type { Cell, GuestTable } from './guest-file'

/** A guest as the business gave it, before the checks: its row and the label of each column. */
export interface GuestCandidate {
  row: number
  value: Record<string, unknown>
  labels: Partial<Record<GuestField, string>>
}

export interface RowProblem {
  row: number
  field: string
  column?: string
  code: string
  messageKey?: string
  vars?: Record<string, string | number>
  /** An already worded message (zod's own, in the caller's language). */
  message?: string
}

/** The table's header says which column is which; each later row becomes a candidate guest. */
export function candidatesOfTable(table: GuestTable): {
  candidates: GuestCandidate[]
  ignored: string[]
  problems: RowProblem[]
  labels: Partial<Record<GuestField, string>>
} {
  const [header, ...rows] = table.rows
  if (!header) return { candidates: [], ignored: [], problems: [], labels: {} }
  const map = mapHeader(header.cells)
  const problems: RowProblem[] = requiredGuestFields
    .filter((f) => map.columns[f] === undefined)
    .map((f) => ({
      row: header.row,
      field: f,
      code: 'column_missing',
      messageKey: 'movements.guest_column_missing',
    }))
  if (problems.length) return { candidates: [], ignored: map.ignored, problems, labels: map.labels }
  const candidates = rows.map(({ row, cells }) => {
    const get = (f: GuestField): Cell => {
      const i = map.columns[f]
      return i === undefined ? null : (cells[i] ?? null)
    }
    const nationality = get('nationality') === null ? '' : parseNationality(get('nationality'))
    let idNumber = cellText(get('idNumber')).replace(/[\s.]/g, '')
    // Excel keeps a 12-digit ID typed into a number cell as a number and drops its leading zeros
    // (Hà Nội's numbers start 001): the digits are certain, so put the zeros back.
    if (
      typeof get('idNumber') === 'number' &&
      /^\d{9,11}$/.test(idNumber) &&
      (nationality === '' || nationality === 'VN')
    )
      idNumber = idNumber.padStart(12, '0')
    const from = parseDateCell(get('fromDate'))
    const arrival = get('arrivalTime') === null ? from.time : parseTimeCell(get('arrivalTime'))
    return {
      row,
      labels: map.labels,
      value: {
        person: {
          fullName: cellText(get('fullName')),
          idKind: parseIdKind(get('idKind'), idNumber, nationality),
          idNumber,
          nationality,
        },
        fromDate: from.date,
        toDate: parseDateCell(get('toDate')).date,
        arrivalTime: arrival ?? '',
        room: cellText(get('room')),
        note: cellText(get('note')),
      },
    }
  })
  return { candidates, ignored: map.ignored, problems: [], labels: map.labels }
}

/** Rows typed in the form: row n is the n-th guest, the columns are the form's labels. */
export const candidatesOfForm = (rows: Record<string, unknown>[]): GuestCandidate[] =>
  rows.map((value, i) => ({ row: i + 1, value, labels: {} }))

const zodLocales = { vi: z.locales.vi().localeError, en: z.locales.en().localeError }

/** Checks every guest; a wrong row never stops the others from being checked, so one answer lists all. */
export function checkGuests(
  candidates: GuestCandidate[],
  locale: Locale,
): { guests: (TGuestRow & { row: number })[]; problems: RowProblem[] } {
  const guests: (TGuestRow & { row: number })[] = []
  const problems: RowProblem[] = []
  const seen = new Map<string, number>()
  for (const c of candidates) {
    // Cells skip the JSON edge guard (they come from a file): the same rule for NUL and lone surrogates.
    const unsafe = findUnsafeInput(c.value, 'row')
    if (unsafe) {
      problems.push({ row: c.row, field: unsafe.field, code: unsafe.code, messageKey: unsafe.messageKey })
      continue
    }
    const parsed = ZGuestRow.safeParse(c.value)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.map(String).join('.') || 'row'
        const custom = issue.message.startsWith('i18n:') ? issue.message.slice(5) : undefined
        problems.push({
          row: c.row,
          field,
          code: issue.code,
          ...(custom
            ? { messageKey: custom }
            : { message: (zodLocales[locale](issue as never) as string | undefined) ?? issue.message }),
        })
      }
      continue
    }
    const first = seen.get(parsed.data.person.idNumber)
    if (first !== undefined) {
      problems.push({
        row: c.row,
        field: 'person.idNumber',
        code: 'duplicate_row',
        messageKey: 'movements.guest_duplicate_row',
        vars: { row: first },
      })
      continue
    }
    seen.set(parsed.data.person.idNumber, c.row)
    guests.push({ ...parsed.data, row: c.row })
  }
  // A 10- or 11-digit citizen ID typed as text: most likely a spreadsheet dropped its leading zeros.
  for (const p of problems) {
    const c = candidates.find((x) => x.row === p.row)
    const id = String((c?.value.person as { idNumber?: unknown } | undefined)?.idNumber ?? '')
    if (p.messageKey === 'movements.citizen_id_invalid' && /^\d{10,11}$/.test(id))
      p.messageKey = 'movements.citizen_id_leading_zero'
  }
  return { guests, problems }
}

/** The guest field a problem concerns ("person.idNumber" → idNumber). */
const guestFieldOf = (field: string): GuestField | undefined => {
  const f = (field.startsWith('person.') ? field.slice(7) : field) as GuestField
  return guestFields.includes(f) ? f : undefined
}

/** The report the business reads: row, the column as headed in its file (or the form's label), message. */
export function wordProblems(
  problems: RowProblem[],
  candidates: GuestCandidate[],
  locale: Locale,
  fileLabels: Partial<Record<GuestField, string>> = {},
): TGuestRowError[] {
  const labelsOfRow = new Map(candidates.map((c) => [c.row, c.labels]))
  return problems
    .sort((a, b) => a.row - b.row)
    .slice(0, 200)
    .map((p) => {
      const f = guestFieldOf(p.field)
      const labels = labelsOfRow.get(p.row) ?? fileLabels
      return {
        row: p.row,
        column: (f && labels[f]) || translate(locale, `movements.guest_column.${f ?? 'row'}`),
        field: p.field,
        code: p.code,
        message:
          p.message ??
          translate(locale, p.messageKey ?? 'movements.guest_row_invalid', {
            ...p.vars,
            column: translate(locale, `movements.guest_column.${f ?? 'row'}`),
          }),
      }
    })
}
