import { sql } from 'drizzle-orm'
import type { App } from '../app'
import { queryRows } from '../db/query'
import { type DemoSeedResult, seedDemo } from './demo-seed'

/** First start on an empty database seeds the demo ward; later starts leave the data alone. */
export async function seedIfEmpty(app: App): Promise<DemoSeedResult | undefined> {
  const [row] = await queryRows<{ n: number }>(app.db, sql`select count(*)::int as n from units`)
  if (Number(row?.n ?? 0) > 0) return undefined
  app.log.info('empty database: seeding the demo ward')
  return seedDemo(app.db, { sessionSecret: app.deps.config.SESSION_SECRET })
}
