import type { DbOrTx } from '../../db/client'
import { bulkInsert, days, minutes, plausibleTime, type Random } from './bulk'
import type { ScaleSize, WardPeople } from './scale-people'

const ALERTS = [
  {
    kind: 'missing_person',
    event: 'Tìm người đi lạc',
    headline: 'Tìm cụ bà đi lạc khu vực chợ',
    categories: ['Rescue'],
    outcome: 'Đã đoàn tụ gia đình',
  },
  {
    kind: 'scam_warning',
    event: 'Cảnh báo lừa đảo',
    headline: 'Cảnh giác cuộc gọi giả danh công an',
    categories: ['Security'],
    outcome: null,
  },
  {
    kind: 'wanted_stolen_vehicle',
    event: 'Truy tìm xe bị mất trộm',
    headline: 'Xe máy bị mất trộm đêm qua',
    categories: ['Security'],
    outcome: 'Đã tìm thấy xe',
  },
  {
    kind: 'fire_safety',
    event: 'Phòng cháy chữa cháy',
    headline: 'Kiểm tra an toàn phòng cháy tại nhà trọ',
    categories: ['Fire'],
    outcome: null,
  },
  {
    kind: 'scam_warning',
    event: 'Cảnh báo lừa đảo',
    headline: 'Thủ đoạn cài ứng dụng giả mạo',
    categories: ['Security'],
    outcome: null,
  },
  {
    kind: 'traffic',
    event: 'Phân luồng giao thông',
    headline: 'Cấm đường phục vụ thi công',
    categories: ['Transport'],
    outcome: null,
  },
] as const

/**
 * Alerts issued by the ward over the history: every third one to the whole ward, the others to a few
 * areas. The signed-in residents of the targets are the recipients; delivery, reading, sharing and
 * answers thin out as they do in practice, and the alert's counters agree with its recipients.
 */
export async function seedAlerts(tx: DbOrTx, rng: Random, p: WardPeople, size: ScaleSize, now: Date) {
  const from = new Date(now.getTime() - days(size.days))
  const alerts: Record<string, unknown>[] = []
  const targets: Record<string, unknown>[] = []
  const messages: Record<string, unknown>[] = []
  const recipients: Record<string, unknown>[] = []
  const answers: Record<string, unknown>[] = []
  for (let i = 0; i < size.alerts; i++) {
    const spec = ALERTS[i % ALERTS.length]!
    const id = rng.uuid()
    const published = plausibleTime(rng, from, now)
    const closed = now.getTime() - published.getTime() > days(7)
    const wardWide = i % 3 === 0
    const areas = wardWide ? p.areas : p.areas.filter(() => rng.chance(4 / p.areas.length)).slice(0, 6)
    const inScope = new Set(areas.map((a) => a.id))
    const counts = { targeted: 0, delivered: 0, read: 0, shared: 0, answered: 0 }
    for (const r of p.residents) {
      if (!r.signedInAt || r.signedInAt > published || !inScope.has(r.areaId)) continue
      const delivered = rng.chance(0.93) ? new Date(published.getTime() + minutes(rng.exp(3))) : null
      const read = delivered && rng.chance(0.62) ? new Date(delivered.getTime() + minutes(rng.exp(90))) : null
      const shared = read && rng.chance(0.07) ? new Date(read.getTime() + minutes(rng.exp(20))) : null
      const answered =
        read && rng.chance(spec.kind === 'missing_person' ? 0.008 : 0.003)
          ? new Date(read.getTime() + minutes(rng.exp(30)))
          : null
      counts.targeted++
      if (delivered) counts.delivered++
      if (read) counts.read++
      if (shared) counts.shared++
      if (answered) counts.answered++
      const iso = (d: Date | null) => (d && d <= now ? d.toISOString() : null)
      recipients.push({
        alert_id: id,
        user_id: r.id,
        area_id: r.areaId,
        delivered_at: iso(delivered),
        read_at: iso(read),
        shared_at: iso(shared),
        answered_at: iso(answered),
        pushed_version: 1,
        created_at: published.toISOString(),
      })
      if (answered && answered <= now)
        answers.push({
          alert_id: id,
          author_id: r.id,
          body: 'Tôi vừa thấy ở đầu ngõ, đang gọi cán bộ.',
          created_at: answered.toISOString(),
        })
    }
    const content = {
      kind: spec.kind,
      event: spec.event,
      headline: spec.headline,
      description: `${spec.headline}. Bà con cần thông tin xin liên hệ Công an ${p.ward.name}.`,
      instruction: 'Báo ngay cho Cảnh sát khu vực hoặc gọi 113.',
      contact: `Công an ${p.ward.name}`,
    }
    alerts.push({
      id,
      ...content,
      state: closed ? 'closed' : 'active',
      categories: spec.categories,
      urgency: 'Expected',
      severity: 'Moderate',
      certainty: 'Likely',
      effective: published.toISOString(),
      scope_kind: wardWide ? 'unit' : 'areas',
      issuing_unit_id: p.ward.id,
      issuing_unit_path: p.ward.path,
      author_id: p.commanderId,
      published_at: published.toISOString(),
      recipients_ready_at: published.toISOString(),
      closed_at: closed ? new Date(published.getTime() + days(3)).toISOString() : null,
      outcome: closed ? spec.outcome : null,
      last_msg_type: 'Alert',
      version: 1,
      targeted_count: counts.targeted,
      delivered_count: counts.delivered,
      read_count: counts.read,
      shared_count: counts.shared,
      answers_count: counts.answered,
      created_at: published.toISOString(),
    })
    const targetUnits = wardWide ? [{ id: p.ward.id, path: p.ward.path, name: p.ward.name }] : areas
    for (const t of targetUnits) targets.push({ alert_id: id, unit_id: t.id, unit_path: t.path })
    messages.push({
      alert_id: id,
      version: 1,
      identifier: `urn:nhipcau:seed:${id}:1`,
      msg_type: 'Alert',
      sent: published.toISOString(),
      author_id: p.commanderId,
      snapshot: {
        ...content,
        capStatus: 'Actual',
        capScope: 'Public',
        categories: spec.categories,
        urgency: 'Expected',
        severity: 'Moderate',
        certainty: 'Likely',
        effective: published.toISOString(),
        expires: null,
        outcome: null,
        geometry: null,
        senderName: `Công an ${p.ward.name}`,
        sender: `${p.ward.slug}@nhipcau.local`,
        targets: targetUnits.map((t) => ({ name: t.name, slug: null, code: null })),
        photos: [],
      },
    })
  }
  const text = 'text'
  await bulkInsert(
    tx,
    'alerts',
    {
      id: 'uuid',
      kind: text,
      event: text,
      headline: text,
      description: text,
      instruction: text,
      contact: text,
      state: text,
      categories: 'text[]',
      urgency: text,
      severity: text,
      certainty: text,
      effective: 'timestamptz',
      scope_kind: text,
      issuing_unit_id: 'uuid',
      issuing_unit_path: text,
      author_id: 'uuid',
      published_at: 'timestamptz',
      recipients_ready_at: 'timestamptz',
      closed_at: 'timestamptz',
      outcome: text,
      last_msg_type: text,
      version: 'int',
      targeted_count: 'int',
      delivered_count: 'int',
      read_count: 'int',
      shared_count: 'int',
      answers_count: 'int',
      created_at: 'timestamptz',
    },
    alerts,
  )
  await bulkInsert(tx, 'alert_targets', { alert_id: 'uuid', unit_id: 'uuid', unit_path: text }, targets)
  await bulkInsert(
    tx,
    'alert_messages',
    {
      alert_id: 'uuid',
      version: 'int',
      identifier: text,
      msg_type: text,
      sent: 'timestamptz',
      author_id: 'uuid',
      snapshot: 'jsonb',
    },
    messages,
  )
  await bulkInsert(
    tx,
    'alert_recipients',
    {
      alert_id: 'uuid',
      user_id: 'uuid',
      area_id: 'uuid',
      delivered_at: 'timestamptz',
      read_at: 'timestamptz',
      shared_at: 'timestamptz',
      answered_at: 'timestamptz',
      pushed_version: 'int',
      created_at: 'timestamptz',
    },
    recipients,
  )
  await bulkInsert(
    tx,
    'alert_answers',
    { alert_id: 'uuid', author_id: 'uuid', body: text, created_at: 'timestamptz' },
    answers,
  )
}
