// The server as main.ts assembles it (config → lock → migrations → buildApp → listen), plus one
// write route of its own, for the kill -9 test: the product has no unauthenticated write to hammer.
// Each acknowledged POST is one autocommit INSERT through Drizzle, as a service's write would be.
import { sql } from 'drizzle-orm'
import { bootstrap } from '../bootstrap'
import { loadConfig } from '../config'
import { queryRows } from '../db/query'
import { buildUnit } from './factories/index'

const config = loadConfig()
const app = await bootstrap(config)

app.post('/durability/writes/:n', async (request, reply) => {
  const n = Number((request.params as { n: string }).n)
  await buildUnit(app.db, { name: `Ghi thử ${n}`, slug: `durability-${n}`, kind: 'residential_group' })
  return reply.code(201).send({ n })
})

app.get('/durability/writes', async () => {
  const rows = await queryRows<{ slug: string }>(
    app.db,
    sql`select slug from units where slug like 'durability-%'`,
  )
  return rows.map((r) => Number(r.slug.slice('durability-'.length)))
})

await app.listen({ port: config.PORT, host: '127.0.0.1' })
process.once('SIGTERM', () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
})
