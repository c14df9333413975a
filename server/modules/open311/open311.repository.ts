import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import type { Scope } from '../../lib/scope'
import { tipsPolicy } from '../tips/tips.policy'
import { tipColumns, tipsRepository } from '../tips/tips.repository'

export interface RequestFilters {
  ids?: string[]
  serviceCode?: string
  start?: string
  end?: string
  status?: 'open' | 'closed'
}

export const open311Repository = {
  /** Tips in the staff member's scope, newest first, at most 1000 (GeoReport's default window is 90 days). */
  async list(db: DbOrTx, scope: Scope, f: RequestFilters) {
    const rows = await queryRows<{ id: string }>(
      db,
      sql`select t.id from tips t
          where ${tipsPolicy.scopes.read(scope, tipColumns)}
          ${
            f.ids?.length
              ? sql`and t.id in (${sql.join(
                  f.ids.map((i) => sql`${i}`),
                  sql`, `,
                )})`
              : sql``
          }
          ${f.serviceCode ? sql`and t.category = ${f.serviceCode}` : sql``}
          and t.created_at >= ${f.start ?? new Date(Date.now() - 90 * 86_400_000).toISOString()}
          ${f.end ? sql`and t.created_at <= ${f.end}` : sql``}
          ${f.status === 'closed' ? sql`and t.status = 'closed'` : f.status === 'open' ? sql`and t.status <> 'closed'` : sql``}
          order by t.created_at desc limit 1000`,
    )
    return tipsRepository.getMany(
      db,
      rows.map((r) => r.id),
    )
  },

  /** What the presenter needs: the unit's name, the last staff reply, the first photo. */
  async details(db: DbOrTx, tip: { id: string; unitId: string }) {
    const [unit] = await queryRows<{ name: string }>(db, sql`select name from units where id = ${tip.unitId}`)
    const [note] = await queryRows<{ body: string }>(
      db,
      sql`select body from tip_messages where tip_id = ${tip.id} and author_kind = 'staff' order by created_at desc limit 1`,
    )
    const files = await tipsRepository.filesOfTips(db, [tip.id])
    return {
      agency: unit?.name ?? '',
      statusNotes: note?.body ?? null,
      photo: files.find((f) => f.kind === 'photo'),
    }
  },
}
