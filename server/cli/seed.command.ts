import type { Config } from '../config'
import type { DatabaseHandle } from '../db/client'
import { hashPassword } from '../lib/passwords'
import { DEMO_PASSWORD, type DemoSeedResult, seedDemo } from '../seed/demo-seed'
import { type ScaleSeedResult, type SeedScale, seedScale } from '../seed/scale/scale-seed'
import { CliError } from './cli-error'
import { countUnits, resetDatabase } from './database'

export interface SeedOptions {
  reset: boolean
  /** Adds a ward (or a province of 20 wards) at the article's scale after the demo ward. */
  scale?: SeedScale
  progress?: (line: string) => void
}

export interface SeedResult extends DemoSeedResult {
  scale?: ScaleSeedResult
}

/** Seeds the demo ward into an empty database; `reset` erases everything first. Never in production. */
export async function runSeed(
  handle: DatabaseHandle,
  config: Config,
  opts: SeedOptions,
): Promise<SeedResult> {
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
  const demo = await seedDemo(handle.db, { sessionSecret: config.SESSION_SECRET })
  if (!opts.scale) return demo
  const scale = await seedScale(
    handle.db,
    {
      scale: opts.scale,
      passwordHash: await hashPassword(DEMO_PASSWORD),
      sessionSecret: config.SESSION_SECRET,
    },
    opts.progress,
  )
  return { ...demo, scale, signIns: [...demo.signIns, ...scale.signIns] }
}
