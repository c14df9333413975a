// Seeds the bench:realtime world into a fresh embedded database: one ward, one residential group
// of N residents, M direct conversations, one officer; and signs every user in (session tokens).
import { writeFileSync } from 'node:fs'
import { bootstrap } from '../../server/bootstrap'
import { loadConfig } from '../../server/config'
import { vacuumAnalyze } from '../../server/db/maintenance'
import { groupMembers, users } from '../../server/db/schema/index'
import { startSession } from '../../server/modules/auth/session.service'
import { buildArea, buildOfficer, buildWard } from '../../server/test/factories/index'
import { buildDirectConversation, buildGroup } from '../../server/test/factories/messaging.factory'

export interface RealtimeWorld {
  groupId: string
  groupConversationId: string
  officer: { token: string; csrf: string }
  residents: { token: string; csrf: string }[]
  direct: { conversationId: string }[]
}

const [dataDir, outFile, nResidents, nDirect] = process.argv.slice(2)
const config = loadConfig({
  ...process.env,
  DATA_DIR: dataDir,
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'test',
  SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-00',
})
const app = await bootstrap(config)
const db = app.db
const ward = await buildWard(db, { name: 'Phường Bench' })
const area = await buildArea(db, { parent: ward, name: 'Tổ dân phố Bench' })
const { user: officer } = await buildOfficer(db, { unit: ward, areas: [area] })
const residents = []
for (let i = 0; i < Number(nResidents); i += 500) {
  const batch = Array.from({ length: Math.min(500, Number(nResidents) - i) }, (_, j) => ({
    kind: 'resident' as const,
    displayName: `Cư dân ${i + j}`,
    phone: `+8498${String(i + j).padStart(7, '0')}`,
    areaId: area.id,
  }))
  residents.push(...(await db.insert(users).values(batch).returning()))
}
const group = await buildGroup(db, {
  unit: area,
  owner: officer,
  name: 'Nhóm Bench',
  postingPolicy: 'everyone',
})
for (let i = 0; i < residents.length; i += 500) {
  await db
    .insert(groupMembers)
    .values(residents.slice(i, i + 500).map((r) => ({ groupId: group.group.id, userId: r.id })))
}
const origin = { ip: null, userAgent: 'bench' }
const sessions = []
for (const r of residents) {
  const s = await startSession(db, config, r, origin)
  sessions.push({ token: s.token, csrf: s.csrf })
}
const officerSession = await startSession(db, config, officer, origin)
const direct = []
for (const r of residents.slice(0, Number(nDirect))) {
  direct.push({
    conversationId: (await buildDirectConversation(db, { resident: r, area, assignee: officer })).id,
  })
}
// Statistics, as a ward's database has them (the hourly VACUUM ANALYZE job on PGlite, autovacuum on
// PostgreSQL; the scale seed ends the same way): without them the planner took the group for 15
// members and read all 5,000 for each subscribe's membership (19 ms a lookup on PGlite, not 0.2).
await vacuumAnalyze(db)
const world: RealtimeWorld = {
  groupId: group.group.id,
  groupConversationId: group.conversation.id,
  officer: { token: officerSession.token, csrf: officerSession.csrf },
  residents: sessions,
  direct,
}
writeFileSync(outFile!, JSON.stringify(world))
await app.close()
