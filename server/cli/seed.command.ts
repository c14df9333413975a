import type { Config } from '../config'
import type { DatabaseHandle } from '../db/client'
import { type DemoSeedResult, seedDemo } from '../seed/demo-seed'
import { CliError } from './cli-error'
import { countUnits, resetDatabase } from './database'

export interface SeedOptions {
  reset: boolean
}

/** Seeds the demo ward into an empty database; `reset` erases everything first. Never in production. */
export async function runSeed(
  handle: DatabaseHandle,
  config: Config,
  opts: SeedOptions,
): Promise<DemoSeedResult> {
  if (config.isProduction) {
    throw new CliError('seed writes fictitious demo people and is refused when NODE_ENV=production')
  }
  if (opts.reset) await resetDatabase(handle, config)
  else {
    const units = await countUnits(handle)
    if (units > 0) {
      throw new CliError(
        `the database already holds data (${units} units); run "nhipcau seed --reset" to erase it and seed the demo again`,
      )
    }
  }
  return seedDemo(handle.db, { sessionSecret: config.SESSION_SECRET })
}
