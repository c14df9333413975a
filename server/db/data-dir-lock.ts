import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { resolve } from 'node:path'

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'
}

export interface DataDirLock {
  release(): void
}

/**
 * An exclusive lock file in the data dir. A lock left by a process that no longer runs
 * (kill -9, power loss) is taken over; a live one stops start-up with a clear message.
 */
export function acquireDataDirLock(dir: string): DataDirLock {
  const file = resolve(dir, 'nhipcau.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }))
      closeSync(fd)
      let released = false
      return {
        release() {
          if (released) return
          released = true
          try {
            unlinkSync(file)
          } catch {
            // Already gone: nothing to release.
          }
        },
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = readHolder(file)
      if (holder && holder.host === hostname() && isAlive(holder.pid)) {
        throw new DataDirLockedError(
          `The data folder ${dir} is already in use by another NhipCau process (pid ${holder.pid}, since ${holder.since}). ` +
            'Stop that process first, or set DATA_DIR to another folder.',
        )
      }
      // Stale lock: its process is gone. Remove it and try once more.
      try {
        unlinkSync(file)
      } catch {
        // Someone else removed it first.
      }
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dir}`)
}

function readHolder(file: string): { pid: number; host: string; since: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
