import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { underAnyPath } from '../../db/unit-path-sql'
import { type Actor, commandsPath, hasRole } from '../../lib/actor'
import { definePolicy } from '../../lib/policy'
import type { Scope } from '../../lib/scope'

/** What a rule needs to know about one photo. */
export interface OfficerPhotoResource {
  userId: string
  /** The unit the officer served in when they sent it. */
  unitPath: string
  state: string
}

/** The grant that puts a staff member in the directory: officer first, else commander. */
export const directoryGrantOf = (actor: Actor | null) =>
  actor?.kind === 'staff'
    ? (actor.grants.find((g) => g.role === 'officer' && g.unitId) ??
      actor.grants.find((g) => g.role === 'commander' && g.unitId))
    : undefined

/**
 * A commander of the officer's unit or of a unit above it decides; never the officer themselves
 * (a commander's own photo goes to another commander of their unit or above). Administrators
 * manage accounts, not who is shown to residents as police, so they do not decide.
 */
const decides = (actor: Actor | null, p: OfficerPhotoResource) =>
  !!actor && p.state === 'pending' && actor.userId !== p.userId && commandsPath(actor, p.unitPath)

export const officerPhotosPolicy = definePolicy(
  {
    /** Officers and commanders (the people residents see in the directory) send their own photo. */
    submit: (actor) => !!directoryGrantOf(actor),
    /** The list of photos waiting: commanders (it holds only their subtree's). */
    listToDecide: (actor) => actor?.kind === 'staff' && hasRole(actor, 'commander'),
    approve: decides,
    refuse: decides,
    /** Approved: anyone (it is on the area page and the poster). Otherwise its owner and who decides. */
    readImage: (actor, p: OfficerPhotoResource) =>
      p.state === 'approved' ||
      (!!actor && (actor.userId === p.userId || (actor.kind === 'staff' && commandsPath(actor, p.unitPath)))),
  },
  {
    /** The photos waiting for the caller's decision. */
    decide: (s: Scope, c: { userId: AnyColumn; unitPath: AnyColumn; state: AnyColumn }): SQL =>
      s.isStaff
        ? sql`(${c.state} = 'pending' and ${c.userId} <> ${s.userId} and ${underAnyPath(c.unitPath, s.commandPaths)})`
        : sql`false`,
  },
)
