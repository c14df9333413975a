import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { pathUnder } from '../../db/unit-path-sql'
import { tipsService } from '../tips/tips.service'
import type { AlertRow } from './alerts.repository'
import type { AlertsDeps } from './alerts.service'

export interface AlertAnswerInput {
  alert: AlertRow
  answerId: string
  authorId: string
  authorAreaId: string | null
  body: string
}

const categoryOf: Record<
  AlertRow['kind'],
  'other' | 'scam' | 'suspicious_vehicle' | 'fire_hazard' | 'traffic'
> = {
  missing_person: 'other',
  found_person: 'other',
  wanted_stolen_vehicle: 'suspicious_vehicle',
  scam_warning: 'scam',
  fire_safety: 'fire_hazard',
  traffic: 'traffic',
  general_notice: 'other',
}

/**
 * The area whose officer should get the tip: one the alert's author answers for, else the first
 * area of the issuing unit. Tips are routed by area, so this is what makes the answer reach the
 * issuing officer rather than the officer of wherever the resident lives.
 */
async function routingArea(db: DbOrTx, alert: AlertRow): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select u.id from units u
         left join area_assignments aa on aa.area_id = u.id and aa.officer_id = ${alert.authorId}
              and aa.starts_at <= now() and (aa.ends_at is null or aa.ends_at > now())
         where u.level = 'residential_group' and ${pathUnder(sql`u.path`, alert.issuingUnitPath)}
         order by (aa.id is null), u.name limit 1`,
  )
  return row?.id ?? null
}

/**
 * Hands an answer to the tips module as a tip (its own service, its own transaction), linked to the
 * alert through alert_answers.tip_id. The answer id is the idempotency key: a retry makes no second tip.
 */
export async function answerToTip(deps: AlertsDeps, input: AlertAnswerInput): Promise<string | null> {
  const areaId = (await routingArea(deps.db, input.alert)) ?? input.authorAreaId
  if (!areaId) return null
  const { tip } = await tipsService.submit(
    { db: deps.db, storage: deps.storage, bus: deps.bus, config: deps.config },
    {
      fields: {
        category: categoryOf[input.alert.kind],
        description: `[Phản hồi cảnh báo] ${input.alert.headline}\n\n${input.body}`.slice(0, 2000),
        areaId,
        locationSource: 'area',
        contactPreference: 'in_app',
      },
      uploads: [],
      idempotencyKey: `alert-answer:${input.answerId}`,
      sender: { kind: 'resident', userId: input.authorId, areaId: input.authorAreaId },
      channel: 'web',
    },
  )
  return tip.id
}
