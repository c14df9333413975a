import { type Locale, translate } from '@common/i18n/messages'
import { slugify } from '@common/text/fold'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { notFound } from '../../lib/errors'
import { scopeOf } from '../../lib/scope'
import { audit, auditContext } from '../audit/audit.service'
import { requireActor } from '../auth/auth.guard'
import { vnToday } from './deadlines'
import { movementsPolicy } from './movements.policy'
import { registerStatusOf } from './movements.presenter'
import { movementsRepository } from './movements.repository'
import { registerRepository } from './register.repository'

type ExportRow = Awaited<ReturnType<typeof registerRepository.exportRows>>[number]

const columns = [
  'area',
  'address',
  'fullName',
  'idKind',
  'idNumber',
  'nationality',
  'residence',
  'status',
  'fromDate',
  'untilDate',
  'awayFrom',
  'awayUntil',
  'endedOn',
] as const

/** A cell Excel and LibreOffice open as text: never a formula (=, +, -, @ lead), quoted when needed. */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return ''
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",;\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

const dmy = (d: string | null) => (d ? `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}` : null)

function csvLine(r: ExportRow, locale: Locale, today: string): string {
  const p = r.person
  const values: Record<(typeof columns)[number], string | null> = {
    area: r.areaName,
    address: r.address,
    fullName: p.fullName,
    idKind: translate(locale, `movements.export.idKind.${p.idKind}`),
    // ID numbers keep their leading zeros in Excel only as a text formula; they are digits and letters.
    idNumber: /^[A-Z0-9]+$/.test(p.idNumber) ? `="${p.idNumber}"` : p.idNumber,
    nationality: p.nationality,
    residence: translate(locale, `movements.export.residence.${p.residence}`),
    status: translate(locale, `movements.export.status.${registerStatusOf(p, today)}`),
    fromDate: dmy(p.fromDate),
    untilDate: dmy(p.untilDate),
    awayFrom: dmy(p.awayFrom),
    awayUntil: dmy(p.awayUntil),
    endedOn: dmy(p.endedOn),
  }
  return columns.map((c) => (c === 'idNumber' ? (values[c] ?? '') : csvCell(values[c]))).join(',')
}

/**
 * The register as CSV for the officer's areas or the commander's unit (or one area of them), for
 * Excel (UTF-8 with its byte-order mark). A staff read of personal data: on record before it leaves.
 */
export const registerExportRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/register/export.csv',
    {
      schema: {
        tags: ['register'],
        summary: 'The working register as CSV (audited)',
        querystring: z.object({
          areaId: z.uuid().optional(),
          includeLeft: z.enum(['true', 'false']).optional(),
        }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      movementsPolicy.authorize(actor, 'queue')
      const q = request.query
      const area = q.areaId ? await movementsRepository.area(app.db, q.areaId) : undefined
      if (q.areaId && (!area || !movementsPolicy.can(actor, 'readRegister', area))) throw notFound()
      const today = vnToday()
      const rows = await registerRepository.exportRows(app.db, scopeOf(actor), {
        areaId: area?.id,
        includeLeft: q.includeLeft === 'true',
        today,
      })
      await audit.record(app.db, auditContext(request), {
        action: 'register.export',
        entityType: 'register_person',
        unitId: area?.id ?? null,
        unitPath: area?.path ?? null,
        details: {
          people: rows.length,
          households: new Set(rows.map((r) => r.person.householdId)).size,
          includeLeft: q.includeLeft === 'true',
        },
      })
      const locale = request.locale
      const header = columns.map((c) => csvCell(translate(locale, `movements.export.column.${c}`))).join(',')
      const body = `\ufeff${[header, ...rows.map((r) => csvLine(r, locale, today))].join('\r\n')}\r\n`
      const name = `so-dang-ky-${area ? slugify(area.name) : 'don-vi'}-${today}.csv`
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(body)
    },
  )
}
