import type { SQL } from 'drizzle-orm'
import type { Actor } from './actor'
import { forbidden, notFound, unauthenticated } from './errors'
import type { Scope } from './scope'

/**
 * One policy per module: a map of action → rule. A rule answers for a signed-in actor (or null
 * for anonymous callers) and the resource at hand; scope with commandsPath/coversPath from
 * server/lib/actor.ts so the unit tree decides, never a scattered `role === …`.
 *
 * ```ts
 * export const unitsPolicy = definePolicy({
 *   read: () => true,
 *   update: (actor, unit: { path: string }) => isAdmin(actor) || commandsPath(actor, unit.path),
 * })
 * unitsPolicy.authorize(actor, 'update', unit) // throws 401/403
 * unitsPolicy.can(actor, 'update', unit)       // boolean, e.g. for "what may I do next" flags
 * ```
 *
 * A policy whose records are listed also declares `scopes`: for an action, the SQL filter that
 * keeps exactly the rows the rule allows (see "The scope layer" in docs/ARCHITECTURE.md). The
 * parity test (`server/test/scope-parity.test.ts`) holds each list to its rule.
 */
// biome-ignore lint/suspicious/noExplicitAny: each rule names its own resource type
export type PolicyRules = Record<string, (actor: Actor | null, resource: any) => boolean>

type ResourceOf<R extends PolicyRules, A extends keyof R> = Parameters<R[A]>[1]

export interface AuthorizeOptions {
  /** Answer 404 instead of 403 so that a denied caller cannot learn the record exists. */
  hide?: boolean
}

/** For an action, the rows a scope may see: `(scope, columns of the query) => SQL`. */
// biome-ignore lint/suspicious/noExplicitAny: each scope names the columns it needs
export type PolicyScopes = Record<string, (scope: Scope, columns: any) => SQL>

export interface Policy<R extends PolicyRules, S extends PolicyScopes = Record<never, never>> {
  readonly rules: R
  /** SQL twins of the rules for list queries, e.g. `tipsPolicy.scopes.read(scopeOf(actor), cols)`. */
  readonly scopes: S
  can<A extends keyof R & string>(actor: Actor | null, action: A, resource?: ResourceOf<R, A>): boolean
  /** Throws 401 for anonymous callers and 403 (or 404 with `hide`) for signed-in ones who may not. */
  authorize<A extends keyof R & string>(
    actor: Actor | null,
    action: A,
    resource?: ResourceOf<R, A>,
    options?: AuthorizeOptions,
  ): void
  /** The subset of actions the actor may perform on the resource, for `can` flags in responses. */
  allowed<A extends keyof R & string>(
    actor: Actor | null,
    actions: readonly A[],
    resource?: ResourceOf<R, A>,
  ): A[]
}

export function definePolicy<R extends PolicyRules, S extends PolicyScopes = Record<never, never>>(
  rules: R,
  scopes: S = {} as S,
): Policy<R, S> {
  const can = <A extends keyof R & string>(actor: Actor | null, action: A, resource?: ResourceOf<R, A>) => {
    const rule = rules[action]
    // An action without a rule is denied: forgetting a rule must never open a door.
    return rule ? rule(actor, resource) === true : false
  }
  return {
    rules,
    scopes,
    can,
    authorize(actor, action, resource, options = {}) {
      if (can(actor, action, resource)) return
      if (!actor) throw unauthenticated()
      throw options.hide ? notFound() : forbidden()
    },
    allowed: (actor, actions, resource) => actions.filter((a) => can(actor, a, resource)),
  }
}
