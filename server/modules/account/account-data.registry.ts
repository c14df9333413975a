import type { DbOrTx } from '../../db/client'

/**
 * Modules that keep a resident's data add themselves here, so "export my data" and "delete my
 * account" cover it without this module knowing theirs: `registerAccountData({ name: 'tips', … })`.
 */
export interface AccountDataContributor {
  name: string
  /** Everything the module holds about the user, ready for JSON. */
  export(db: DbOrTx, userId: string): Promise<unknown>
  /** Erase or anonymise it inside the deletion transaction; keep (and mark) what the law requires. */
  erase?(tx: DbOrTx, userId: string): Promise<void>
}

const contributors = new Map<string, AccountDataContributor>()

export function registerAccountData(contributor: AccountDataContributor): void {
  contributors.set(contributor.name, contributor)
}

export const accountDataContributors = (): AccountDataContributor[] => [...contributors.values()]
