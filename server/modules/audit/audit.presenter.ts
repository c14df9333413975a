import type { TAuditEntry } from '@common/schemas/audit'
import type { AuditRow } from './audit.repository'

export function presentAuditEntry(row: AuditRow, withOrigin: boolean): TAuditEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorRole: row.actorRole,
    actorName: row.actorName,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    unitId: row.unitId,
    reason: row.reason,
    ...(withOrigin ? { ip: row.ip, userAgent: row.userAgent } : {}),
    details: row.details,
  }
}

const CSV_COLUMNS = [
  'id',
  'at',
  'actorId',
  'actorRole',
  'actorName',
  'action',
  'entityType',
  'entityId',
  'unitId',
  'reason',
] as const

/** One CSV cell: quoted, and a leading = + - @ neutralised so a spreadsheet never runs it as a formula. */
function cell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return `"${s.replace(/"/g, '""')}"`
}

export function auditCsv(entries: TAuditEntry[], withOrigin: boolean): string {
  const cols: string[] = [...CSV_COLUMNS, ...(withOrigin ? ['ip', 'userAgent'] : []), 'details']
  const lines = [cols.join(',')]
  for (const e of entries) lines.push(cols.map((c) => cell((e as Record<string, unknown>)[c])).join(','))
  // A BOM so Excel opens Vietnamese text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
