import { isAdmin } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import { commandsPath } from '../../lib/scope'

/**
 * The month in review is for commanders: a unit's figures (and the lists behind them) to those who
 * command it or a unit above it, and to administrators. An officer or a neighbouring ward sees none.
 */
export const dashboardPolicy = definePolicy({
  view: (actor, unit: { path: string }) =>
    actor?.kind === 'staff' && (isAdmin(actor) || commandsPath(actor, unit.path)),
  // The lists behind the figures name tips, cases and conversations: only a commander of the unit
  // (who may read every one of them) opens them. An administrator sees the figures, not the records,
  // as the tips' and cases' own policies keep their records from administrators.
  listRecords: (actor, unit: { path: string }) => actor?.kind === 'staff' && commandsPath(actor, unit.path),
})
