import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { procedures, procedureVersions } from '../../db/schema/index'
import { createTestApp, type TestContext } from '../../test/test-app'
import {
  bundledCatalogue,
  CatalogueFileError,
  importCatalogue,
  importCatalogueFiles,
  readCatalogueFile,
} from './procedure-import.service'
import { searchProcedures } from './procedure-search.service'

let t: TestContext
const dir = mkdtempSync(join(tmpdir(), 'nhipcau-procedures-'))
const writeJson = (name: string, value: unknown) => {
  const file = join(dir, name)
  writeFileSync(file, JSON.stringify(value))
  return file
}

beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

const versionsOf = (id: string) =>
  t.db
    .select()
    .from(procedureVersions)
    .where(eq(procedureVersions.procedureId, id))
    .orderBy(procedureVersions.version)

describe('importing the procedure catalogue', () => {
  it('creates every procedure once and changes nothing when run again', async () => {
    const first = await importCatalogueFiles(t.db)
    expect(first.created).toHaveLength(27)
    expect(first.created).toContain('dang-ky-tam-tru')
    expect(first.synonymsChanged).toBeGreaterThan(20)

    const again = await importCatalogueFiles(t.db)
    expect(again).toMatchObject({ created: [], updated: [], unchanged: 27, synonymsChanged: 0 })
    expect(await versionsOf('dang-ky-tam-tru')).toHaveLength(1)
  })

  it('marks procedures that are not fully sourced as awaiting legal review', async () => {
    const [sourced] = await t.db.select().from(procedures).where(eq(procedures.id, 'dang-ky-tam-tru'))
    const [mixed] = await t.db.select().from(procedures).where(eq(procedures.id, 'dang-ky-thuong-tru'))
    expect(sourced?.provenance.level).toBe('sourced')
    expect(sourced?.awaitingLegalReview).toBe(false)
    expect(mixed?.awaitingLegalReview).toBe(true)
  })

  it('records a new version naming the changed field when the file changes', async () => {
    const entries = JSON.parse(readFileSync(bundledCatalogue, 'utf8'))
    const entry = entries.find((e: { id: string }) => e.id === 'gia-han-tam-tru')
    entry.fee = 'Miễn phí (thử nghiệm)'
    const result = await importCatalogueFiles(t.db, writeJson('changed.json', entries))
    expect(result.updated).toEqual([{ id: 'gia-han-tam-tru', fields: ['fee'] }])
    expect(result.unchanged).toBe(26)
    const versions = await versionsOf('gia-han-tam-tru')
    expect(versions.map((v) => v.version)).toEqual([1, 2])
    expect(versions[1]).toMatchObject({ source: 'import', changedFields: ['fee'] })
    expect(versions[1]?.snapshot.fee).toBe('Miễn phí (thử nghiệm)')
  })

  it('keeps a review decision made by staff when the same file is imported again', async () => {
    await t.db.update(procedures).set({ awaitingLegalReview: false }).where(eq(procedures.id, 'tach-ho'))
    const entries = readCatalogueFile(bundledCatalogue)
    const result = await importCatalogue(t.db, entries)
    expect(result.updated.map((u) => u.id)).not.toContain('tach-ho')
    const [row] = await t.db.select().from(procedures).where(eq(procedures.id, 'tach-ho'))
    expect(row?.awaitingLegalReview).toBe(false)
  })

  it('makes a newly imported procedure searchable at once', async () => {
    const file = writeJson('new.json', [
      {
        id: 'cap-giay-phep-so-huu-sung-the-thao',
        category: 'khac',
        name_vi: 'Cấp giấy phép sở hữu súng thể thao',
        name_en: 'Sports gun ownership licence',
        handling_body: 'Công an cấp tỉnh',
        online: { available: 'no', channels: [] },
        provenance: { level: 'own_knowledge', sources: [] },
      },
    ])
    await importCatalogueFiles(t.db, file, null)
    const { hits } = await searchProcedures(t.db, 'xin giay phep sung the thao', { limit: 3 })
    expect(hits[0]?.id).toBe('cap-giay-phep-so-huu-sung-the-thao')
  })

  it('stores the English fields, related ids, official links and review items of the cleaned catalogue', async () => {
    const [row] = await t.db.select().from(procedures).where(eq(procedures.id, 'xoa-dang-ky-thuong-tru'))
    expect(row?.handlingBody).not.toMatch(/\(.*police.*\)/)
    expect(row?.handlingBodyEn).toBe('Commune-level police where the permanent residence is registered')
    expect(row?.related).toEqual(['dang-ky-khai-tu', 'khai-bao-tam-vang', 'dang-ky-tam-tru'])
    expect(row?.online.channelsEn).toContain('VNeID app')
    expect(row?.online.links?.[0]).toEqual({
      labelVi: 'Cổng Dịch vụ công quốc gia',
      labelEn: 'National Public Service Portal',
      url: 'https://dichvucong.gov.vn',
    })
    const [thuongTru] = await t.db.select().from(procedures).where(eq(procedures.id, 'dang-ky-thuong-tru'))
    expect(thuongTru?.provenance.reviewItems?.[0]).toContain('8 m²')
    expect(thuongTru?.requiredDocuments.join(' ')).not.toContain('8 m²')
  })

  it('refuses related ids that are not in the file, links to unofficial sites and untranslated lists', () => {
    const entries = () => JSON.parse(readFileSync(bundledCatalogue, 'utf8'))
    const unknownRelated = entries()
    unknownRelated[0].related = ['khong-co-thu-tuc-nay']
    expect(() => readCatalogueFile(writeJson('related.json', unknownRelated))).toThrow(
      /relates to khong-co-thu-tuc-nay/,
    )
    const badLink = entries()
    badLink[0].online.links = [{ label_vi: 'Trang lạ', label_en: 'Odd site', url: 'https://example.com' }]
    expect(() => readCatalogueFile(writeJson('link.json', badLink))).toThrow(/online\.links\.0\.url/)
    const shortEn = entries()
    shortEn[0].required_documents_en = shortEn[0].required_documents_en.slice(1)
    expect(() => readCatalogueFile(writeJson('short.json', shortEn))).toThrow(/in English/)
  })

  it('refuses a file that is not a catalogue, naming the entry and field', () => {
    const file = writeJson('bad.json', [{ id: 'dang-ky-tam-tru', category: 'cu-tru' }])
    expect(() => readCatalogueFile(file)).toThrow(CatalogueFileError)
    expect(() => readCatalogueFile(file)).toThrow(/\[0\.name_vi\]/)
    const dup = writeJson('dup.json', [
      ...JSON.parse(readFileSync(bundledCatalogue, 'utf8')).slice(0, 1),
      ...JSON.parse(readFileSync(bundledCatalogue, 'utf8')).slice(0, 1),
    ])
    expect(() => readCatalogueFile(dup)).toThrow(/appears twice/)
  })
})
