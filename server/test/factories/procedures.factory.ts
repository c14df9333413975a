import type { Db } from '../../db/client'
import { importCatalogue } from '../../modules/procedures/procedure-import.service'
import { type TCatalogueEntryInput, ZCatalogueEntry } from '../../modules/procedures/procedures.schemas'
import { uniqueSuffix } from './sequence'

/** A procedure imported like a catalogue entry (version 1, searchable); returns its id. */
export async function buildProcedure(db: Db, input: Partial<TCatalogueEntryInput> = {}): Promise<string> {
  const id = input.id ?? `thu-tuc-thu-${uniqueSuffix()}`
  await importCatalogue(db, [
    ZCatalogueEntry.parse({
      id,
      category: 'cu-tru',
      name_vi: `Thủ tục thử ${id}`,
      name_en: `Test procedure ${id}`,
      handling_body: 'Công an cấp xã',
      required_documents: ['Tờ khai CT01'],
      time_limit: '03 ngày làm việc',
      fee: 'Không thu',
      legal_basis: ['Luật Cư trú 2020'],
      online: { available: 'yes', channels: ['Ứng dụng VNeID'] },
      provenance: { level: 'own_knowledge', sources: [] },
      ...input,
    }),
  ])
  return id
}
