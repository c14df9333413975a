import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { answerTime, bulkInsert, days, minutes, plausibleTime, type Random } from './bulk'
import type { ScaleSize, SeededResident, WardPeople } from './scale-people'
import { ANSWERS, CONVERSATION_MIX, GROUP_MESSAGES, QUESTIONS, THANKS, weighted } from './scale-texts'

export interface SeededGroup {
  id: string
  areaId: string | null
  memberIds: string[]
}

interface MessageRow {
  conversation_id: string
  author_id: string
  body: string
  created_at: Date
  hidden_at?: string
  hidden_by?: string
  hidden_reason?: string
}

/** Messages get their per-conversation seq in time order, and are inserted in time order (positions). */
async function insertMessages(tx: DbOrTx, rows: MessageRow[]) {
  rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
  const seq = new Map<string, number>()
  const out = rows.map((r) => {
    const s = (seq.get(r.conversation_id) ?? 0) + 1
    seq.set(r.conversation_id, s)
    return { ...r, seq: s, created_at: r.created_at.toISOString() }
  })
  await bulkInsert(
    tx,
    'messages',
    {
      conversation_id: 'uuid',
      seq: 'int',
      author_id: 'uuid',
      body: 'text',
      created_at: 'timestamptz',
      hidden_at: 'timestamptz',
      hidden_by: 'uuid',
      hidden_reason: 'text',
    },
    out,
  )
  // Each conversation's counters follow from its messages.
  const last = new Map<string, { last_seq: number; last_message_at: string }>()
  for (const m of out) last.set(m.conversation_id, { last_seq: m.seq, last_message_at: m.created_at })
  const json = JSON.stringify([...last].map(([id, v]) => ({ id, ...v })))
  await tx.execute(sql`update conversations c set last_seq = x.last_seq, last_message_at = x.last_message_at
    from jsonb_to_recordset(${json}::jsonb) as x(id uuid, last_seq int, last_message_at timestamptz) where c.id = x.id`)
}

/**
 * One residential-area group per area plus three ward-wide groups (party cell, landlords, businesses
 * with security conditions); signed-in residents join; the officer posts and moderates.
 */
export async function seedGroups(tx: DbOrTx, rng: Random, p: WardPeople, size: ScaleSize, now: Date) {
  const from = new Date(now.getTime() - days(size.days))
  const signedIn = p.residents.filter((r) => r.signedInAt)
  const byArea = new Map<string, SeededResident[]>()
  for (const r of signedIn) byArea.set(r.areaId, [...(byArea.get(r.areaId) ?? []), r])
  const groups: (SeededGroup & {
    kind: string
    unitId: string
    unitPath: string
    name: string
    ownerId: string
    conversationId: string
  })[] = []
  for (const a of p.areas) {
    const members = (byArea.get(a.id) ?? []).filter(() => rng.chance(0.55)).map((r) => r.id)
    groups.push({
      id: rng.uuid(),
      conversationId: rng.uuid(),
      kind: 'residential_area',
      areaId: a.id,
      unitId: a.id,
      unitPath: a.path,
      name: `Khu dân cư – ${a.name}`,
      ownerId: a.officerId,
      memberIds: members,
    })
  }
  for (const [kind, name] of [
    ['party_cell', 'Chi bộ khu dân cư'],
    ['landlords', 'Chủ nhà trọ, nhà cho thuê'],
    ['security_conditional_business', 'Cơ sở kinh doanh có điều kiện về ANTT'],
  ] as const) {
    const members = signedIn.filter(() => rng.chance(40 / Math.max(40, signedIn.length))).map((r) => r.id)
    groups.push({
      id: rng.uuid(),
      conversationId: rng.uuid(),
      kind,
      areaId: null,
      unitId: p.ward.id,
      unitPath: p.ward.path,
      name: `${name} ${p.ward.name}`,
      ownerId: p.commanderId,
      memberIds: members,
    })
  }
  await bulkInsert(
    tx,
    'groups',
    {
      id: 'uuid',
      kind: 'text',
      unit_id: 'uuid',
      unit_path: 'text',
      name: 'text',
      invite_code: 'text',
      created_by: 'uuid',
      created_at: 'timestamptz',
    },
    groups.map((g) => ({
      ...g,
      unit_id: g.unitId,
      unit_path: g.unitPath,
      invite_code: rng.hex(24),
      created_by: g.ownerId,
      created_at: new Date(now.getTime() - days(320)).toISOString(),
    })),
  )
  await bulkInsert(
    tx,
    'conversations',
    { id: 'uuid', kind: 'text', group_id: 'uuid', created_at: 'timestamptz' },
    groups.map((g) => ({
      id: g.conversationId,
      kind: 'group',
      group_id: g.id,
      created_at: new Date(now.getTime() - days(320)).toISOString(),
    })),
  )
  const memberRows: Record<string, unknown>[] = []
  const joinedAt = (r?: SeededResident) => {
    const after = r?.signedInAt?.getTime() ?? now.getTime() - days(300)
    return new Date(after + rng.next() * (now.getTime() - after))
  }
  const residentOf = new Map(p.residents.map((r) => [r.id, r]))
  for (const g of groups) {
    memberRows.push({
      group_id: g.id,
      user_id: g.ownerId,
      role: 'owner',
      status: 'active',
      created_at: new Date(now.getTime() - days(320)).toISOString(),
    })
    for (const m of g.memberIds) {
      const removed = rng.chance(0.01)
      memberRows.push({
        group_id: g.id,
        user_id: m,
        role: 'member',
        status: removed ? 'removed' : 'active',
        created_at: joinedAt(residentOf.get(m)).toISOString(),
        changed_by: removed ? g.ownerId : null,
      })
    }
  }
  await bulkInsert(
    tx,
    'group_members',
    {
      group_id: 'uuid',
      user_id: 'uuid',
      role: 'text',
      status: 'text',
      created_at: 'timestamptz',
      changed_by: 'uuid',
    },
    memberRows,
  )

  const messages: MessageRow[] = []
  for (const g of groups) {
    const count = Math.round(size.days * (0.6 + 1.6 * rng.next()))
    for (let i = 0; i < count; i++) {
      const byOfficer = g.memberIds.length === 0 || rng.chance(0.3)
      const at = plausibleTime(rng, from, now)
      const hidden = !byOfficer && rng.chance(0.012)
      messages.push({
        conversation_id: g.conversationId,
        author_id: byOfficer ? g.ownerId : rng.pick(g.memberIds),
        body: hidden ? 'Vay tiền nhanh không cần thế chấp, liên hệ …' : rng.pick(GROUP_MESSAGES),
        created_at: at,
        ...(hidden
          ? {
              hidden_at: new Date(at.getTime() + minutes(20)).toISOString(),
              hidden_by: g.ownerId,
              hidden_reason: 'Quảng cáo không liên quan',
            }
          : {}),
      })
    }
  }
  await insertMessages(tx, messages)
  return groups
}

/**
 * Residents' questions to the police of their area over the history: the mix of kinds of S8, answered
 * by the area's officer with a long-tailed delay (each officer has their own pace), most resolved.
 */
export async function seedConversations(tx: DbOrTx, rng: Random, p: WardPeople, size: ScaleSize, now: Date) {
  const from = new Date(now.getTime() - days(size.days))
  const pace = new Map(p.officerIds.map((id) => [id, 15 + rng.next() * 45]))
  const areaOf = new Map(p.areas.map((a) => [a.id, a]))
  const askers = p.residents.filter((r) => r.signedInAt)
  const chosen = new Set<string>()
  const rows: Record<string, unknown>[] = []
  const messages: MessageRow[] = []
  while (chosen.size < Math.min(size.conversations, askers.length)) {
    const r = rng.pick(askers)
    if (chosen.has(r.id)) continue
    chosen.add(r.id)
    const area = areaOf.get(r.areaId)!
    const label = weighted(CONVERSATION_MIX, rng.next())
    const createdAt = plausibleTime(rng, from, now)
    const id = rng.uuid()
    // A question of the last two days may still wait for its first answer.
    const recent = now.getTime() - createdAt.getTime() < days(2)
    let first: Date | null =
      recent && rng.chance(0.3) ? null : answerTime(rng, createdAt, pace.get(area.officerId)!)
    if (first && first > now) first = null
    let resolved: Date | null =
      first && rng.chance(0.88) ? new Date(first.getTime() + minutes(5 + rng.exp(300))) : null
    if (resolved && resolved > now) resolved = null
    rows.push({
      id,
      kind: 'direct',
      resident_id: r.id,
      area_id: area.id,
      area_path: area.path,
      assignee_id: area.officerId,
      status: resolved ? 'resolved' : first ? 'waiting_on_resident' : 'open',
      labels: [label],
      awaiting_since: first ? null : createdAt.toISOString(),
      first_response_at: first?.toISOString() ?? null,
      resolved_at: resolved?.toISOString() ?? null,
      created_at: createdAt.toISOString(),
    })
    messages.push({
      conversation_id: id,
      author_id: r.id,
      body: rng.pick(QUESTIONS[label]!),
      created_at: createdAt,
    })
    if (first)
      messages.push({
        conversation_id: id,
        author_id: area.officerId,
        body: rng.pick(ANSWERS),
        created_at: first,
      })
    if (first && resolved && rng.chance(0.5))
      messages.push({
        conversation_id: id,
        author_id: r.id,
        body: rng.pick(THANKS),
        created_at: new Date((first.getTime() + resolved.getTime()) / 2),
      })
  }
  await bulkInsert(
    tx,
    'conversations',
    {
      id: 'uuid',
      kind: 'text',
      resident_id: 'uuid',
      area_id: 'uuid',
      area_path: 'text',
      assignee_id: 'uuid',
      status: 'text',
      labels: 'text[]',
      awaiting_since: 'timestamptz',
      first_response_at: 'timestamptz',
      resolved_at: 'timestamptz',
      created_at: 'timestamptz',
    },
    rows,
  )
  await insertMessages(tx, messages)
}
