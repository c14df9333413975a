import { eq, inArray } from 'drizzle-orm'
import type { Config } from '../../config'
import type { DbOrTx } from '../../db/client'
import { alertResources, units } from '../../db/schema/index'
import { alertPaths } from './alerts.presenter'
import { type AlertMessageRow, type AlertRow, alertsRepository } from './alerts.repository'
import { type CapMessageInput, type CapSnapshot, capIdentifier, capReference } from './cap-xml'

const hostOf = (config: Config) => new URL(config.PUBLIC_URL).host

/** CAP <sender>: the issuing unit at this server, e.g. "phuong-hai-ba-trung@nhipcau.example.vn". */
export const capSender = (config: Config, unitSlug: string) =>
  `${unitSlug}@${new URL(config.PUBLIC_URL).hostname}`

/** The alert as it stands, frozen into the CAP message being sent. */
async function snapshotOf(tx: DbOrTx, a: AlertRow): Promise<CapSnapshot> {
  const [issuing] = await tx.select({ name: units.name }).from(units).where(eq(units.id, a.issuingUnitId))
  const targets = await alertsRepository.targets(tx, a.id)
  const codes = targets.length
    ? await tx
        .select({ id: units.id, code: units.code })
        .from(units)
        .where(
          inArray(
            units.id,
            targets.map((t) => t.id),
          ),
        )
    : []
  const codeOf = new Map(codes.map((c) => [c.id, c.code]))
  const photos = await tx.select().from(alertResources).where(eq(alertResources.alertId, a.id))
  return {
    kind: a.kind,
    capStatus: a.capStatus,
    capScope: a.capScope,
    categories: a.categories,
    event: a.event,
    urgency: a.urgency,
    severity: a.severity,
    certainty: a.certainty,
    effective: a.effective?.toISOString() ?? null,
    expires: a.expires?.toISOString() ?? null,
    headline: a.headline,
    description: a.description,
    instruction: a.instruction,
    contact: a.contact,
    outcome: a.outcome,
    geometry: a.geometry ?? null,
    senderName: `Công an ${issuing?.name ?? ''}`.trim(),
    targets: targets.map((t) => ({ name: t.name, slug: t.slug, code: codeOf.get(t.id) ?? null })),
    photos: photos.map((p) => ({ id: p.id, mime: p.mime, size: p.size, description: p.description })),
  }
}

/**
 * Writes the next CAP message of an alert (Alert, Update or Cancel). An Update or Cancel references
 * every earlier message, as CAP 1.2 asks. Returns the alert with its new version.
 */
export async function publishVersion(
  tx: DbOrTx,
  config: Config,
  alertId: string,
  msgType: 'Alert' | 'Update' | 'Cancel',
  note: string | null,
  authorId: string,
): Promise<AlertRow> {
  const a = (await alertsRepository.getForUpdate(tx, alertId))!
  const issuing = (await alertsRepository.unit(tx, a.issuingUnitId))!
  const sender = capSender(config, issuing.slug)
  const earlier = await alertsRepository.messages(tx, alertId)
  const version = a.version + 1
  const snapshot = await snapshotOf(tx, a)
  await alertsRepository.insertMessage(tx, {
    alertId,
    version,
    identifier: capIdentifier(hostOf(config), alertId, version),
    msgType,
    references:
      msgType === 'Alert'
        ? null
        : earlier.map((m) => capReference({ sender: String(m.snapshot.sender ?? sender), ...m })).join(' ') ||
          null,
    sent: new Date(),
    note,
    snapshot: { ...snapshot, sender } as unknown as Record<string, unknown>,
    authorId,
  })
  return alertsRepository.update(tx, alertId, { version, lastMsgType: msgType })
}

/** What cap-xml needs to render one stored message. */
export function capInput(config: Config, alertId: string, m: AlertMessageRow): CapMessageInput {
  const snapshot = m.snapshot as unknown as CapSnapshot & { sender: string }
  return {
    identifier: m.identifier,
    sender: snapshot.sender,
    sent: m.sent,
    msgType: m.msgType,
    references: m.references,
    note: m.note,
    snapshot,
    webUrl: `${config.PUBLIC_URL}${alertPaths.share(alertId)}`,
    photoUrl: (photoId) => `${config.PUBLIC_URL}${alertPaths.photo(alertId, photoId)}`,
  }
}
