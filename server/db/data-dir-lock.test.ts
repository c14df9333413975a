import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock'

describe('data dir lock', () => {
  it('refuses a second holder while the first is alive, and frees the folder on release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'))
    const lock = acquireDataDirLock(dir)
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError)
    lock.release()
    expect(existsSync(join(dir, 'nhipcau.lock'))).toBe(false)
    acquireDataDirLock(dir).release()
  })

  it('takes over a lock left by a process that died (kill -9)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nc-lock-'))
    const child = spawn(process.execPath, ['-e', ''])
    const deadPid = child.pid!
    await new Promise((r) => child.on('exit', r))
    writeFileSync(join(dir, 'nhipcau.lock'), JSON.stringify({ pid: deadPid, host: hostname(), since: 'x' }))
    const lock = acquireDataDirLock(dir)
    lock.release()
  })
})
