import { execFile } from 'node:child_process'
import { statfs } from 'node:fs/promises'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import type { TSystemHealth } from '@common/schemas/health'
import type { Config } from '../../config'
import type { DatabaseHandle } from '../../db/client'
import { APP_VERSION } from '../../lib/app-version'
import { projectRoot } from '../../lib/project-paths'
import type { EventBus } from '../../realtime/event-bus'
import { readLastBackup } from '../backup/backup-record'
import { healthRepository } from './health.repository'

export interface SystemHealthDeps {
  config: Pick<Config, 'DATA_DIR' | 'REDIS_URL'>
  database: DatabaseHandle
  bus: EventBus
}

let commit: Promise<string | null> | undefined

/**
 * The commit the server runs: GIT_COMMIT when the release sets it, else `git rev-parse` in the
 * checkout (once per process); null for an archive without either.
 */
export function gitCommit(): Promise<string | null> {
  commit ??= process.env.GIT_COMMIT
    ? Promise.resolve(process.env.GIT_COMMIT.slice(0, 12))
    : promisify(execFile)('git', ['rev-parse', '--short=12', 'HEAD'], {
        cwd: projectRoot,
        timeout: 2_000,
      }).then(
        (r) => r.stdout.trim() || null,
        () => null,
      )
  return commit
}

/** Free and total space of the file system holding DATA_DIR; null if it cannot be read. */
async function diskOf(dataDir: string): Promise<TSystemHealth['disk']> {
  const path = resolve(dataDir)
  try {
    const s = await statfs(path)
    return { path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize }
  } catch {
    return null
  }
}

export interface SystemFacts extends Omit<TSystemHealth, 'checkedAt' | 'uptimeSeconds'> {
  checkedAt: Date
  uptimeSeconds: number
}

/** Everything the administrators' health page shows, gathered in parallel; never throws on a dead dependency. */
export async function systemHealth(deps: SystemHealthDeps): Promise<SystemFacts> {
  const { db, kind } = deps.database
  const latencyMs = await healthRepository.latencyMs(db)
  const reachable = latencyMs !== null
  const [sizeBytes, jobs, disk, lastBackup, commitId] = await Promise.all([
    reachable ? healthRepository.sizeBytes(db) : null,
    reachable ? healthRepository.jobQueue(db) : { due: 0, oldestWaitSeconds: null, dead: 0 },
    diskOf(deps.config.DATA_DIR),
    readLastBackup(deps.config.DATA_DIR),
    gitCommit(),
  ])
  const configured = Boolean(deps.config.REDIS_URL)
  return {
    checkedAt: new Date(),
    database: { kind, reachable, latencyMs, sizeBytes },
    redis: { configured, reachable: configured ? deps.bus.state() === 'shared' : null },
    jobs,
    disk,
    lastBackup,
    version: { app: APP_VERSION, commit: commitId },
    uptimeSeconds: process.uptime(),
  }
}
