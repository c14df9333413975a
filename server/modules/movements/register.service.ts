import type { TIdKind, TResidence } from '@common/schemas/movements'
import type { DbOrTx } from '../../db/client'
import type { registerPeople } from '../../db/schema/index'
import type { ReportRow } from './movements.repository'
import { type PersonRow, type RegisterChange, registerRepository, searchTextOf } from './register.repository'

interface PersonFields {
  fullName: string
  idKind: TIdKind
  idNumber: string
  nationality: string | null
  isForeign: boolean
}

async function record(
  tx: DbOrTx,
  person: PersonRow,
  change: RegisterChange,
  by: { actorId: string; reportId?: string },
): Promise<PersonRow> {
  await registerRepository.insertEvent(tx, {
    personId: person.id,
    areaPath: person.areaPath,
    change,
    fromDate: change === 'away' ? person.awayFrom : person.fromDate,
    untilDate: change === 'away' ? person.awayUntil : change === 'left' ? person.endedOn : person.untilDate,
    reportId: by.reportId ?? null,
    actorId: by.actorId,
  })
  return person
}

/** Finds the person at the address, or adds them; either way the change goes into the history. */
async function upsertPerson(
  tx: DbOrTx,
  place: { area: { id: string; path: string }; address: string },
  fields: PersonFields,
  patch: (existing: PersonRow | undefined) => {
    residence: TResidence
    change: RegisterChange
    values: Partial<typeof registerPeople.$inferInsert>
  },
  by: { actorId: string; reportId?: string },
): Promise<PersonRow> {
  const household = await registerRepository.household(tx, place.area, place.address)
  const existing = await registerRepository.activePerson(tx, household.id, fields.idNumber)
  const { residence, change, values } = patch(existing)
  const person = existing
    ? await registerRepository.updatePerson(tx, existing.id, {
        ...values,
        residence,
        fullName: fields.fullName,
        searchText: searchTextOf(fields, household.address),
      })
    : await registerRepository.insertPerson(tx, {
        householdId: household.id,
        areaId: place.area.id,
        areaPath: place.area.path,
        ...fields,
        residence,
        ...values,
        searchText: searchTextOf(fields, household.address),
      })
  return record(tx, person, change, by)
}

/** The stronger kind of residence wins: a guest who becomes a tenant is a temporary resident. */
const stronger = (a: TResidence, b: TResidence): TResidence => {
  const rank = { stay: 0, temporary: 1, permanent: 2 }
  return rank[a] >= rank[b] ? a : b
}

export const registerService = {
  /** A confirmed report changes the register (inside the review's transaction). */
  async applyReport(tx: DbOrTx, r: ReportRow, actorId: string): Promise<PersonRow> {
    const place = { area: { id: r.areaId, path: r.areaPath }, address: r.address }
    const fields: PersonFields = {
      fullName: r.fullName,
      idKind: r.idKind,
      idNumber: r.idNumber,
      nationality: r.nationality,
      isForeign: r.isForeign,
    }
    const by = { actorId, reportId: r.id }
    switch (r.kind) {
      case 'stay':
      case 'guest':
      case 'tenant_in': {
        const kind: TResidence = r.kind === 'tenant_in' ? 'temporary' : 'stay'
        return upsertPerson(
          tx,
          place,
          fields,
          (e) => ({
            residence: e ? stronger(e.residence, kind) : kind,
            change: e ? 'extended' : 'arrived',
            values:
              e?.residence === 'permanent'
                ? {}
                : {
                    fromDate: e?.fromDate && e.fromDate < r.fromDate ? e.fromDate : r.fromDate,
                    untilDate: r.toDate,
                  },
          }),
          by,
        )
      }
      case 'tenant_out':
        return upsertPerson(
          tx,
          place,
          fields,
          (e) => ({
            residence: e?.residence ?? 'temporary',
            change: 'left',
            values: { endedOn: r.fromDate },
          }),
          by,
        )
      case 'absence':
        return upsertPerson(
          tx,
          place,
          fields,
          (e) => ({
            residence: e?.residence ?? 'permanent',
            change: 'away',
            values: { awayFrom: r.fromDate, awayUntil: r.toDate, awayDestination: r.destination },
          }),
          by,
        )
    }
  },

  /** The officer's own entry (a permanent resident, a correction after a visit). */
  async addEntry(
    tx: DbOrTx,
    input: {
      area: { id: string; path: string }
      address: string
      person: PersonFields
      residence: TResidence
      fromDate: string | null
      untilDate: string | null
    },
    actorId: string,
  ): Promise<PersonRow> {
    return upsertPerson(
      tx,
      { area: input.area, address: input.address },
      input.person,
      (e) => ({
        residence: input.residence,
        change: e ? 'corrected' : 'entered',
        values: {
          fromDate: input.fromDate,
          untilDate: input.residence === 'permanent' ? null : input.untilDate,
        },
      }),
      { actorId },
    )
  },
}
