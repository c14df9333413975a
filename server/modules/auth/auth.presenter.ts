import type { TSessionUser } from '@common/schemas/auth'
import type { Actor } from '../../lib/actor'

/** The signed-in user as the web client sees it: no phone, no grants' unit ids. */
export function presentSessionUser(actor: Actor): TSessionUser {
  const roles = new Set<TSessionUser['roles'][number]>()
  if (actor.kind === 'resident') roles.add('resident')
  for (const g of actor.grants) roles.add(g.role)
  return {
    id: actor.userId,
    kind: actor.kind,
    displayName: actor.displayName,
    locale: actor.locale,
    areaId: actor.areaId,
    roles: [...roles],
  }
}
