// Shared by eval-kb, the ranker training and the search benchmark: the question files and a
// scratch database seeded with the catalogue (PGlite in memory, or a throwaway PostgreSQL db).
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { z } from 'zod'
import { type DatabaseHandle, openDatabase } from '../../server/db/client'
import { migrateDatabase } from '../../server/db/migrate'
import { importCatalogueFiles } from '../../server/modules/procedures/procedure-import.service'

export const ZQuestions = z.array(
  z.object({
    question: z.string().min(1),
    /** A procedure id, several acceptable ids, or null: no procedure fits. */
    expected: z.union([z.string(), z.array(z.string()), z.null()]),
    style: z.string().optional(),
    split: z.enum(['train', 'test']).optional(),
  }),
)
export type KbQuestion = z.infer<typeof ZQuestions>[number]

export function readQuestions(file: string): KbQuestion[] {
  const parsed = ZQuestions.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) {
    throw new Error(`${file}: expected an array of {question, expected}: ${parsed.error.issues[0]?.message}`)
  }
  return parsed.data
}

/** The stories file's train half: the only questions the ranker may learn or be tuned on. */
export const storiesFile = new URL(
  '../../catalogue/procedures/eval/kb-questions-stories.json',
  import.meta.url,
).pathname

/**
 * Questions written for training only (`catalogue/procedures/kb-questions-train.json`: resident
 * situations in every style, mostly no-procedure questions that share a police procedure's words,
 * and in-scope stories), never copied from an evaluation file; same format as the stories file,
 * without a split: all of it is training data.
 */
export const writtenTrainFile = new URL('../../catalogue/procedures/kb-questions-train.json', import.meta.url)
  .pathname

const evalFile = (name: string) =>
  new URL(`../../catalogue/procedures/eval/${name}`, import.meta.url).pathname

/**
 * Every file the ranker learns from beside the stories file's train half — all of each file is
 * training data (no split). The list is the only place a file becomes training data:
 * - `kb-questions-train.json`: written for training (fifth to seventh rounds);
 * - `eval/kb-questions-blind2.json`, `eval/kb-questions-blind3.json`: held-out sets of the fifth to
 *   seventh rounds, measured by the lead (whole tables) and folded into training from the eighth
 *   round on; their figures are optimistic from then on. They stay in `eval/` where they were
 *   written;
 * - `eval/kb-questions-blind4.json`, `eval/kb-questions-blind5.json`: held-out sets measured once by
 *   the lead (eighth-round model), folded into training from the ninth round on;
 * - `eval/kb-questions-blind6.json`, `eval/kb-questions-fresh.json`,
 *   `eval/kb-questions-none-heldout.json`: held-out sets measured by the lead on the ninth-round
 *   model, folded into training from the tenth round on;
 * - `eval/kb-questions-blind7.json`: held-out set measured once by the lead on the tenth-round
 *   model, folded into training from the eleventh round on;
 * - `eval/kb-questions-blind8.json`: held-out set measured once by the lead on the tenth- and
 *   eleventh-round models, folded into training from the twelfth round on.
 * Any other file in `eval/` (blind9 and later) is held out: never add it here, and never read it
 * while training or choosing a change.
 */
export const trainingFiles: readonly string[] = [
  writtenTrainFile,
  evalFile('kb-questions-blind2.json'),
  evalFile('kb-questions-blind3.json'),
  evalFile('kb-questions-blind4.json'),
  evalFile('kb-questions-blind5.json'),
  evalFile('kb-questions-blind6.json'),
  evalFile('kb-questions-fresh.json'),
  evalFile('kb-questions-none-heldout.json'),
  evalFile('kb-questions-blind7.json'),
  evalFile('kb-questions-blind8.json'),
]

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

/** A fresh database with every migration and the catalogue imported. */
export async function scratchCatalogue(catalogue: string, postgres?: string): Promise<DatabaseHandle> {
  let handle: DatabaseHandle
  if (!postgres) handle = await openDatabase({ dataDir: 'memory://' })
  else {
    const name = `nhipcau_eval_${process.pid}_${Date.now() % 100000}`
    await adminQuery(postgres, `create database "${name}"`)
    const u = new URL(postgres)
    u.pathname = `/${name}`
    const inner = await openDatabase({ databaseUrl: u.toString(), dataDir: 'memory://', poolMax: 2 })
    handle = {
      ...inner,
      close: async () => {
        await inner.close()
        await adminQuery(postgres, `drop database if exists "${name}"`)
      },
    }
  }
  await migrateDatabase(handle, postgres)
  await importCatalogueFiles(handle.db, catalogue)
  return handle
}

export const expectedIds = (q: KbQuestion): string[] | null =>
  q.expected === null ? null : Array.isArray(q.expected) ? q.expected : [q.expected]
