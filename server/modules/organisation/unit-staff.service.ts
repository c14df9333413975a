import type { DbOrTx } from '../../db/client'
import { unitStaffRepository } from './unit-staff.repository'

/**
 * Who works a place in the unit tree, for other modules (messaging, tips): they ask organisation
 * instead of keeping their own copy of the "staff above this area" query.
 */
export const unitStaffService = {
  /** A colleague who may be handed a record of the area: an officer or commander of a unit above it. */
  isColleague: (db: DbOrTx, userId: string, areaPath: string) =>
    unitStaffRepository.isWorkerOver(db, userId, areaPath),
  /** The colleagues a record of the area may be handed to, by name. */
  colleaguesOver: (db: DbOrTx, areaPath: string) => unitStaffRepository.workersOver(db, areaPath),
  /** The commanders above a path: they oversee the area's records and its duty queue. */
  commandersOver: (db: DbOrTx, path: string) => unitStaffRepository.commandersOver(db, path),
}
