import { z } from 'zod'
import {
  blank,
  datesInOrder,
  orderIssue,
  ZArrival,
  ZDate,
  ZNote,
  ZPersonFields,
  ZReportView,
} from './movements'

/**
 * A hotel's, guest house's or homestay's nightly guest list (thông báo lưu trú of a business):
 * typed in a form or uploaded as the CSV/XLSX file the business already keeps. All rows or none.
 */

export const guestListSourceValues = ['form', 'csv', 'xlsx'] as const
/** Rows in one list; a night's list is far smaller. */
export const GUEST_LIST_MAX_ROWS = 1000
/** An uploaded file: CSV or XLSX. A 1,000-guest XLSX is about 60 kB. */
export const GUEST_FILE_MAX_BYTES = 2 * 1024 * 1024
/** The procedure foreign guests also need (domain notes §12: within 12 hours of arrival). */
export const FOREIGN_GUEST_PROCEDURE_ID = 'khai-bao-tam-tru-nguoi-nuoc-ngoai'

/** One guest: who, which ID, from when to when; the room goes into the note. */
export const ZGuestRow = z
  .object({
    person: ZPersonFields,
    fromDate: ZDate,
    toDate: ZDate,
    arrivalTime: ZArrival,
    room: z.preprocess(blank, z.string().trim().max(40, 'i18n:movements.room_too_long').optional()),
    note: ZNote,
  })
  .refine(datesInOrder, orderIssue)
export type TGuestRow = z.infer<typeof ZGuestRow>

/** The form: the rows are checked one by one so the answer names each wrong row. */
export const ZGuestListRequest = z.object({
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'i18n:movements.client_key'),
  areaId: z.uuid({ message: 'i18n:movements.area_required' }),
  address: z.string().trim().min(3, 'i18n:movements.address_required').max(200),
  rows: z
    .array(z.record(z.string(), z.unknown()))
    .min(1, 'i18n:movements.guest_list_empty')
    .max(GUEST_LIST_MAX_ROWS),
})
export type TGuestListRequest = z.infer<typeof ZGuestListRequest>

/** The upload's text fields (multipart); the file itself is the part named "file". */
export const ZGuestUploadFields = z.object({
  areaId: z.uuid({ message: 'i18n:movements.area_required' }),
  address: z.string().trim().min(3, 'i18n:movements.address_required').max(200),
})

/** One problem in one row: the row as the business sees it (file line, or position in the form). */
export const ZGuestRowError = z.object({
  row: z.number().int(),
  /** The column as headed in the file (or the form's label). */
  column: z.string(),
  /** The field of the guest it concerns, e.g. person.idNumber. */
  field: z.string(),
  code: z.string(),
  message: z.string(),
})
export type TGuestRowError = z.infer<typeof ZGuestRowError>

export const ZGuestListView = z.object({
  id: z.uuid(),
  source: z.enum(guestListSourceValues),
  area: z.object({ id: z.uuid(), name: z.string() }),
  address: z.string(),
  guestCount: z.number().int(),
  /** Guests with a foreign passport: the business also declares them (foreign guests' procedure). */
  foreignCount: z.number().int(),
  submittedAt: z.string(),
})

export const ZGuestListSubmitted = z.object({
  guestList: ZGuestListView,
  /** False when the same list (same file, or same form key) had already arrived. */
  created: z.boolean(),
  guests: z.array(ZReportView),
  /** Columns of the file that NhipCau does not keep (collect the minimum), as headed there. */
  ignoredColumns: z.array(z.string()),
  foreignProcedureId: z.string(),
})
export type TGuestListSubmitted = z.infer<typeof ZGuestListSubmitted>
