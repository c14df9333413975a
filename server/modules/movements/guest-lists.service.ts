import { createHash, randomUUID } from 'node:crypto'
import { type Locale, translate } from '@common/i18n/messages'
import type { TGuestRowError } from '@common/schemas/guest-lists'
import type { Actor } from '../../lib/actor'
import { AppError, forbidden, invalidField } from '../../lib/errors'
import { isUniqueViolation } from '../tips/db-errors'
import type { GuestField } from './guest-columns'
import { type GuestListRow, guestListsRepository } from './guest-lists.repository'
import { checkGuests, type GuestCandidate, type RowProblem, wordProblems } from './guest-rows'
import { publishReportChanged } from './movements.events'
import { movementsPolicy } from './movements.policy'
import { movementsRepository, type ReportRow } from './movements.repository'
import { type MovementsDeps, reportValues } from './movements.service'

export interface GuestListInput {
  source: 'form' | 'csv' | 'xlsx'
  clientKey: string
  areaId: string
  address: string
  candidates: GuestCandidate[]
  /** Problems found before the rows (a missing column). */
  problems?: RowProblem[]
  fileLabels?: Partial<Record<GuestField, string>>
}

/**
 * The same file for the same place is the same list: its digest is the client key, so sending
 * it twice (a double tap, a retry after a lost answer) imports it once.
 */
export const fileClientKey = (data: Buffer, areaId: string, address: string) =>
  `file-${createHash('sha256')
    .update(`${areaId}\n${address.trim().toLowerCase()}\n`)
    .update(data)
    .digest('hex')
    .slice(0, 40)}`

/** The per-row report as a 400: nothing was imported, the business fixes the rows and sends again. */
function rowsRefused(rows: TGuestRowError[], source: GuestListInput['source']) {
  const count = new Set(rows.map((r) => r.row)).size
  return new AppError('validation', 'movements.guest_list_refused', {
    vars: { count },
    fields: [
      {
        field: source === 'form' ? 'rows' : 'file',
        code: 'rows_invalid',
        messageKey: 'movements.guest_list_rows_field',
      },
    ],
    extra: { rows },
  })
}

export const guestListsService = {
  /**
   * A business's nightly list: every row is checked first and the whole list is refused when one
   * is wrong (the answer names each row and column); otherwise every guest becomes a pending
   * `guest` report in one transaction. Foreign guests are flagged for their own procedure (§12).
   */
  async submit(
    deps: MovementsDeps,
    actor: Actor,
    input: GuestListInput,
    locale: Locale,
  ): Promise<{ list: GuestListRow; created: boolean }> {
    const existing = await guestListsRepository.findByClientKey(deps.db, actor.userId, input.clientKey)
    if (existing) return { list: existing, created: false }

    const area = await movementsRepository.area(deps.db, input.areaId)
    if (!area) throw invalidField('areaId', 'invalid', 'movements.area_invalid')
    const caps = await movementsRepository.capacities(deps.db, actor.userId)
    const resource = {
      kind: 'guest' as const,
      area,
      homeAreaId: caps.home?.areaId ?? null,
      landlordPaths: caps.landlordPaths,
      businessPaths: caps.businessPaths,
    }
    if (!movementsPolicy.can(actor, 'submit', resource)) throw forbidden('movements.capacity_business')

    const { guests, problems } = checkGuests(input.candidates, locale)
    const all = [...(input.problems ?? []), ...problems]
    if (all.length)
      throw rowsRefused(wordProblems(all, input.candidates, locale, input.fileLabels), input.source)
    if (!guests.length)
      throw invalidField(input.source === 'form' ? 'rows' : 'file', 'empty', 'movements.guest_list_empty')

    const now = new Date()
    const place = { area, address: input.address }
    const reporter = { id: actor.userId, capacity: 'business' as const }
    const listId = randomUUID()
    const values = guests.map((g) => {
      const room = g.room ? translate('vi', 'movements.guest_room', { room: g.room }) : null
      return reportValues(
        {
          kind: 'guest',
          clientKey: `${input.clientKey.slice(0, 60)}-${g.row}`,
          person: g.person,
          fromDate: g.fromDate,
          toDate: g.toDate,
          arrivalTime: g.arrivalTime,
          note: [room, g.note].filter(Boolean).join(' · ') || undefined,
        },
        reporter,
        place,
        now,
        listId,
      )
    })
    let inserted: ReportRow[] = []
    try {
      const list = await deps.db.transaction(async (tx) => {
        const row = await guestListsRepository.insert(tx, {
          id: listId,
          reporterId: actor.userId,
          areaId: area.id,
          areaPath: area.path,
          address: input.address,
          source: input.source,
          clientKey: input.clientKey,
          guestCount: values.length,
          foreignCount: values.filter((v) => v.isForeign).length,
        })
        inserted = await movementsRepository.insert(tx, values)
        return row
      })
      for (const r of inserted) await publishReportChanged(deps.bus, r)
      return { list, created: true }
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      // The same list sent twice at once: the first one won.
      const first = await guestListsRepository.findByClientKey(deps.db, actor.userId, input.clientKey)
      if (!first) throw err
      return { list: first, created: false }
    }
  },
}
