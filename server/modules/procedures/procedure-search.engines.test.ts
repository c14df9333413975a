import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../db/client'
import { migrateDatabase } from '../../db/migrate'
import { createTestApp, type TestContext } from '../../test/test-app'
import { createTestDatabase } from '../../test/test-database'
import { importCatalogueFiles } from './procedure-import.service'
import { searchProcedures } from './procedure-search.service'

// Under `npm run test:pg` the test app runs on PostgreSQL and this compares it with PGlite;
// under plain `vitest` both sides are PGlite (still a check that loading is deterministic).
/** PGlite on both backends: from the migrated golden dump when it exists (no initdb, ~4 s less). */
async function openEmbedded(): Promise<DatabaseHandle> {
  if (!process.env.DATABASE_URL) return createTestDatabase()
  const handle = await openDatabase({ dataDir: 'memory://' })
  await migrateDatabase(handle)
  return handle
}

let t: TestContext
let embedded: DatabaseHandle
beforeAll(async () => {
  t = await createTestApp()
  await importCatalogueFiles(t.db)
  embedded = await openEmbedded()
  await importCatalogueFiles(embedded.db)
}, 120_000)
afterAll(async () => {
  await embedded.close()
  await t.close()
})

const questions = (
  JSON.parse(
    readFileSync(
      new URL('../../../catalogue/procedures/eval/kb-questions-stories.json', import.meta.url),
      'utf8',
    ),
  ) as { question: string }[]
).map((q) => q.question)

describe('the same answers on PGlite and PostgreSQL', () => {
  it('ranks every dev question alike, with the same scores, reasons and "none"', async () => {
    for (const q of questions) {
      const a = await searchProcedures(t.db, q, { limit: 5 })
      const b = await searchProcedures(embedded.db, q, { limit: 5 })
      expect(a, q).toEqual(b)
    }
    expect(questions.length).toBeGreaterThan(300)
  }, 120_000)
})
