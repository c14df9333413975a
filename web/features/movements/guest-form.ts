import { zodIssueMessage } from '@common/i18n/zod-message'
import { type TGuestRowError, ZGuestRow, ZGuestUploadFields } from '@common/schemas/guest-lists'
import { parseVnDate } from '../../lib/vn-date'

/** One guest as typed in the multi-row form (dates as the host writes them: dd/mm/yyyy). */
export interface GuestDraft {
  key: string
  fullName: string
  idKind: 'citizen_id' | 'passport'
  idNumber: string
  nationality: string
  fromDate: string
  arrivalTime: string
  toDate: string
  room: string
}

let seq = 0
export const emptyGuest = (): GuestDraft => ({
  key: `g${++seq}`,
  fullName: '',
  idKind: 'citizen_id',
  idNumber: '',
  nationality: '',
  fromDate: '',
  arrivalTime: '',
  toDate: '',
  room: '',
})

/** "5/12/2026", "05/12/2026", "05-12-2026", "05.12.2026" → "2026-12-05"; anything else (or 31/02) → null. */
export const parseDmy = (text: string): string | null => parseVnDate(text, false)

/** A row's errors by field (person.idNumber, fromDate…), each in the interface's language. */
export type RowErrors = Record<string, string>

/** The row as the API takes it (the same shape the server checks with ZGuestRow). */
export function guestRequestRow(g: GuestDraft) {
  return {
    person: {
      fullName: g.fullName,
      idKind: g.idKind,
      idNumber: g.idNumber,
      ...(g.idKind === 'passport' ? { nationality: g.nationality } : {}),
    },
    fromDate: parseDmy(g.fromDate) ?? g.fromDate,
    toDate: parseDmy(g.toDate) ?? g.toDate,
    arrivalTime: g.arrivalTime,
    room: g.room,
  }
}

/**
 * The checks the server makes, made before sending (so a list queued offline is a list the server
 * takes): the shared schema, plus the dd/mm/yyyy dates the form reads. Returns the errors by row.
 */
export function checkGuestForm(
  form: { areaId: string; address: string; rows: GuestDraft[] },
  lang: 'vi' | 'en',
  words: { dateFormat: string; invalid: string; duplicate: (row: number) => string },
): { list: RowErrors; rows: RowErrors[] } {
  const list: RowErrors = {}
  const head = ZGuestUploadFields.safeParse({ areaId: form.areaId, address: form.address })
  if (!head.success) for (const i of head.error.issues) list[String(i.path[0])] = zodIssueMessage(i, lang)
  const seen = new Map<string, number>()
  const rows = form.rows.map((g, index) => {
    const errors: RowErrors = {}
    const parsed = ZGuestRow.safeParse(guestRequestRow(g))
    if (!parsed.success)
      for (const i of parsed.error.issues) {
        const field = i.path.map(String).join('.') || 'row'
        errors[field] ??= zodIssueMessage(i, lang)
      }
    for (const f of ['fromDate', 'toDate'] as const) if (parseDmy(g[f]) === null) errors[f] = words.dateFormat
    const id = g.idNumber.replace(/\s+/g, '').toUpperCase()
    const first = seen.get(id)
    if (id && first !== undefined) errors['person.idNumber'] ??= words.duplicate(first + 1)
    else if (id) seen.set(id, index)
    return errors
  })
  return { list, rows }
}

/** The server's refusal (rows numbered from 1) as errors by row of the form. */
export function rowErrorsOf(problemRows: TGuestRowError[], count: number): RowErrors[] {
  const rows: RowErrors[] = Array.from({ length: count }, () => ({}))
  for (const r of problemRows) {
    const target = rows[r.row - 1]
    if (target) target[r.field] ??= r.message
  }
  return rows
}
