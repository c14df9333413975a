import type { DbOrTx } from '../../db/client'

/**
 * The personal-data registry. Each module declares, in `<module>.personal-data.ts` beside its code,
 * which personal data it holds (the data map in docs/personal-data.md is generated from these
 * declarations by `npm run docs:data-map`), how to export it and how to erase it.
 * `server/modules/personal-data.ts` lists every declaration; "export my data" and "delete my account"
 * walk that list, so a module that holds personal data and is not listed is caught by the tests.
 */
export interface PersonalDataField {
  /** Database table and its columns holding the data. */
  table: string
  columns: string[]
  purpose: string
  /** Who may read it (roles-and-data.md). */
  readers: string
  retention: string
  legalBasis: string
  /** What `DELETE /api/me` does to it. */
  onErase: string
}

/** A file of the person's own, copied into the export ZIP under `files/`. */
export interface ExportedFile {
  /** Path inside the ZIP, e.g. `files/tips/<id>.jpg`. */
  path: string
  storageKey: string
}

export interface ModuleExport {
  /** Written as `<module>.json`. */
  data: unknown
  files?: ExportedFile[]
}

/** A record kept after deletion under a legal basis, shown to the resident before they confirm. */
export interface RetainedRecord {
  table: string
  id: string
  /** Message key of the reason (common/i18n), e.g. `data.retained.tip_case`. */
  reasonKey: string
  vars?: Record<string, string | number>
}

export interface EraseOutcome {
  /** Storage keys whose bytes are deleted once the transaction committed. */
  storageKeys?: string[]
  /** How many records were erased or anonymised (shown in the audit row). */
  count: number
}

export interface PersonalDataModule {
  /** Module name: the JSON file in the export and the section of the data map. */
  name: string
  fields: PersonalDataField[]
  export(db: DbOrTx, userId: string): Promise<ModuleExport>
  /** What stays under a legal basis; `erase` leaves exactly these records' content in place. */
  retained?(db: DbOrTx, userId: string): Promise<RetainedRecord[]>
  /** Erases or anonymises inside the deletion transaction; `retained` is this module's list. */
  erase(tx: DbOrTx, userId: string, retained: RetainedRecord[]): Promise<EraseOutcome>
}

export const definePersonalData = (m: PersonalDataModule): PersonalDataModule => m
