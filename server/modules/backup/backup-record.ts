import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

/**
 * `DATA_DIR/last-backup.json`: what the last successful backup wrote, so the administrators'
 * health page can say when it ran and how big it was (whoever wrote it: the running server for
 * the embedded database, or the `nhipcau backup` command on PostgreSQL).
 */
const ZLastBackup = z.object({ at: z.string(), file: z.string(), bytes: z.number().int().nonnegative() })
export type LastBackup = z.infer<typeof ZLastBackup>

const recordPath = (dataDir: string) => join(dataDir, 'last-backup.json')

/** Best effort: a backup user that may only read DATA_DIR still gets its archive written. */
export async function recordLastBackup(dataDir: string, backup: LastBackup): Promise<boolean> {
  try {
    await mkdir(dataDir, { recursive: true })
    await writeFile(recordPath(dataDir), `${JSON.stringify(backup)}\n`, { mode: 0o600 })
    return true
  } catch {
    return false
  }
}

/** Null when no backup has been made from this data folder (or the record is unreadable). */
export async function readLastBackup(dataDir: string): Promise<LastBackup | null> {
  try {
    return ZLastBackup.parse(JSON.parse(await readFile(recordPath(dataDir), 'utf8')))
  } catch {
    return null
  }
}
