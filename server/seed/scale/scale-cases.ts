import type { DbOrTx } from '../../db/client'
import { answerTime, bulkInsert, days, minutes, plausibleTime, type Random } from './bulk'
import type { SeededGroup } from './scale-messaging'
import type { ScaleSize, WardPeople } from './scale-people'
import { CASE_TITLES, TIP_MIX, TIP_TEXTS, weighted } from './scale-texts'

const CASE_STATUS_MIX: [string, number][] = [
  ['closed', 35],
  ['resolved', 15],
  ['in_progress', 25],
  ['verifying', 15],
  ['new', 10],
]
const OUTCOME_MIX: [string, number][] = [
  ['solved_property_returned', 40],
  ['referred_to_investigators', 25],
  ['unfounded', 25],
  ['other', 10],
]

/**
 * Cases (some opened before the history, still open, so the age buckets fill), tips (a third
 * anonymous; some linked to cases) and requests for help posted to the area's group with answers.
 */
export async function seedTipsAndCases(
  tx: DbOrTx,
  rng: Random,
  p: WardPeople,
  groups: SeededGroup[],
  size: ScaleSize,
  now: Date,
) {
  const from = new Date(now.getTime() - days(size.days))
  const caseRows: Record<string, unknown>[] = []
  for (let i = 0; i < size.cases; i++) {
    const area = rng.pick(p.areas)
    const old = rng.chance(0.25)
    const createdAt = old
      ? plausibleTime(rng, new Date(from.getTime() - days(120)), from)
      : plausibleTime(rng, from, now)
    let status = old ? rng.pick(['in_progress', 'verifying']) : weighted(CASE_STATUS_MIX, rng.next())
    const doneAt = new Date(createdAt.getTime() + minutes(60 + rng.exp(60 * 24 * 6)))
    if ((status === 'closed' || status === 'resolved') && doneAt > now) status = 'in_progress'
    caseRows.push({
      id: rng.uuid(),
      title: rng.pick(CASE_TITLES),
      description: 'Vụ việc tạo từ dữ liệu mẫu của phường.',
      category: weighted(TIP_MIX, rng.next()),
      status,
      outcome: status === 'closed' ? weighted(OUTCOME_MIX, rng.next()) : null,
      priority: rng.pick(['low', 'normal', 'normal', 'high']),
      assignee_id: area.officerId,
      area_id: area.id,
      area_path: area.path,
      created_by_id: area.officerId,
      created_at: createdAt.toISOString(),
      updated_at: createdAt.toISOString(),
      resolved_at: status === 'resolved' || status === 'closed' ? doneAt.toISOString() : null,
      closed_at: status === 'closed' ? doneAt.toISOString() : null,
    })
  }
  await bulkInsert(
    tx,
    'cases',
    {
      id: 'uuid',
      title: 'text',
      description: 'text',
      category: 'text',
      status: 'text',
      outcome: 'text',
      priority: 'text',
      assignee_id: 'uuid',
      area_id: 'uuid',
      area_path: 'text',
      created_by_id: 'uuid',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
      resolved_at: 'timestamptz',
      closed_at: 'timestamptz',
    },
    caseRows,
  )
  await bulkInsert(
    tx,
    'case_events',
    { case_id: 'uuid', at: 'timestamptz', actor_id: 'uuid', type: 'text', data: 'jsonb' },
    caseRows.map((c) => ({
      case_id: c.id,
      at: c.created_at,
      actor_id: c.created_by_id,
      type: 'created',
      data: { title: c.title },
    })),
  )

  const signedIn = p.residents.filter((r) => r.signedInAt)
  const areaOf = new Map(p.areas.map((a) => [a.id, a]))
  const recentCases = caseRows.filter((c) => new Date(String(c.created_at)) >= from)
  const tipRows: Record<string, unknown>[] = []
  const tipMessages: Record<string, unknown>[] = []
  for (let i = 0; i < size.tips; i++) {
    const anonymous = rng.chance(0.3)
    const submitter = anonymous ? null : rng.pick(signedIn)
    const area = submitter ? areaOf.get(submitter.areaId)! : rng.pick(p.areas)
    const createdAt = plausibleTime(rng, from, now)
    let first: Date | null = answerTime(rng, createdAt, 40)
    if (first > now || (now.getTime() - createdAt.getTime() < days(1) && rng.chance(0.4))) first = null
    const r = rng.next()
    const linkTo = first && r >= 0.55 && r < 0.8 && recentCases.length ? rng.pick(recentCases) : null
    const status = !first ? 'new' : r < 0.55 ? 'closed' : linkTo ? 'linked' : 'in_review'
    let closedAt: Date | null =
      status === 'closed' ? new Date(first!.getTime() + minutes(30 + rng.exp(60 * 24))) : null
    if (closedAt && closedAt > now) closedAt = null
    const id = rng.uuid()
    tipRows.push({
      id,
      category: weighted(TIP_MIX, rng.next()),
      description: rng.pick(TIP_TEXTS),
      location_source: 'area',
      area_id: area.id,
      area_path: area.path,
      unit_id: p.ward.id,
      contact_preference: anonymous ? 'none' : 'in_app',
      submitter_id: submitter?.id ?? null,
      is_anonymous: anonymous,
      code_hash: anonymous ? rng.hex(64) : null,
      idempotency_key_hash: rng.hex(64),
      status: status === 'closed' && !closedAt ? 'in_review' : status,
      assignee_id: area.officerId,
      case_id: linkTo?.id ?? null,
      first_response_due_at: new Date(createdAt.getTime() + minutes(30)).toISOString(),
      first_response_at: first?.toISOString() ?? null,
      created_at: createdAt.toISOString(),
      updated_at: createdAt.toISOString(),
      closed_at: closedAt?.toISOString() ?? null,
    })
    if (first)
      tipMessages.push({
        tip_id: id,
        author_kind: 'staff',
        staff_author_id: area.officerId,
        body: 'Công an phường đã tiếp nhận tin báo, cảm ơn anh/chị.',
        created_at: first.toISOString(),
      })
  }
  await bulkInsert(
    tx,
    'tips',
    {
      id: 'uuid',
      category: 'text',
      description: 'text',
      location_source: 'text',
      area_id: 'uuid',
      area_path: 'text',
      unit_id: 'uuid',
      contact_preference: 'text',
      submitter_id: 'uuid',
      is_anonymous: 'boolean',
      code_hash: 'text',
      idempotency_key_hash: 'text',
      status: 'text',
      assignee_id: 'uuid',
      case_id: 'uuid',
      first_response_due_at: 'timestamptz',
      first_response_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
      closed_at: 'timestamptz',
    },
    tipRows,
  )
  await bulkInsert(
    tx,
    'tip_messages',
    { tip_id: 'uuid', author_kind: 'text', staff_author_id: 'uuid', body: 'text', created_at: 'timestamptz' },
    tipMessages,
  )

  // Requests for help: a third of the recent cases ask their area's group to check cameras.
  const groupOf = new Map(groups.filter((g) => g.areaId).map((g) => [g.areaId!, g]))
  const requests: Record<string, unknown>[] = []
  const targets: Record<string, unknown>[] = []
  const responses: Record<string, unknown>[] = []
  for (const c of recentCases.filter(() => rng.chance(0.34))) {
    const group = groupOf.get(String(c.area_id))
    const at = new Date(new Date(String(c.created_at)).getTime() + minutes(120))
    if (!group || at > now) continue
    const id = rng.uuid()
    requests.push({
      id,
      case_id: c.id,
      description: 'Nhờ bà con kiểm tra camera gia đình hướng ra ngõ.',
      created_by_id: c.assignee_id,
      created_at: at.toISOString(),
      status: c.status === 'closed' ? 'closed' : 'open',
    })
    targets.push({ help_request_id: id, group_id: group.id, area_id: c.area_id, area_path: c.area_path })
    const helpers = new Set(group.memberIds.filter(() => rng.chance(0.05)).slice(0, 4))
    let k = 0
    for (const h of helpers) {
      const answered = new Date(at.getTime() + minutes(10 + rng.exp(180)))
      if (answered > now) continue
      responses.push({
        help_request_id: id,
        responder_id: h,
        body: 'Camera nhà tôi có ghi lại, tôi gửi cán bộ.',
        client_key: `seed-${id}-${k++}`,
        created_at: answered.toISOString(),
      })
    }
  }
  await bulkInsert(
    tx,
    'help_requests',
    {
      id: 'uuid',
      case_id: 'uuid',
      description: 'text',
      created_by_id: 'uuid',
      created_at: 'timestamptz',
      status: 'text',
    },
    requests,
  )
  await bulkInsert(
    tx,
    'help_request_targets',
    { help_request_id: 'uuid', group_id: 'uuid', area_id: 'uuid', area_path: 'text' },
    targets,
  )
  await bulkInsert(
    tx,
    'help_responses',
    {
      help_request_id: 'uuid',
      responder_id: 'uuid',
      body: 'text',
      client_key: 'text',
      created_at: 'timestamptz',
    },
    responses,
  )
}
