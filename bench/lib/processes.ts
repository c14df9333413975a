// Child processes for benches that start servers and clients of their own: spawned with enough file
// descriptors for their sockets, and measured from /proc (resident memory, CPU time).
import { type ChildProcess, execSync, type StdioOptions, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The open-files limit children inherit (`ulimit -n`). */
export function fdSoftLimit(): number {
  return Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 1024
}

/**
 * Runs `node <args>`. When the process will hold more sockets than `ulimit -n` allows, the limit is
 * raised for it alone (`ulimit -n` in a shell that then execs node, so the pid is node's): up to the
 * hard limit for anyone, beyond it only as root. If it cannot be raised, the shell says so and exits.
 */
export function spawnNode(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; fds: number; stdio: StdioOptions; cwd?: string },
): ChildProcess {
  const { env, stdio, cwd } = opts
  if (opts.fds <= fdSoftLimit()) return spawn(process.execPath, args, { env, stdio, cwd })
  return spawn('/bin/sh', ['-c', `ulimit -n ${opts.fds} && exec "$0" "$@"`, process.execPath, ...args], {
    env,
    stdio,
    cwd,
  })
}

/** Resident memory (VmRSS) of a live process, in MiB; NaN once it has gone. */
export function rssMiB(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'))
    return Math.round(Number(line?.split(/\s+/)[1]) / 102.4) / 10
  } catch {
    return Number.NaN
  }
}

/** CPU time (user + system) a live process has used so far, in seconds; NaN once it has gone. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The fields after "(comm) ": state is [0], utime [11], stime [12], in clock ticks (100 per second).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Math.round(Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/** Resolves with the exit code (or signal) once the child has exited; at once if it already has. */
export const exited = (child: ChildProcess): Promise<number | string> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode ?? child.signalCode ?? -1)
    : new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)))

/** SIGTERM, then SIGKILL after `graceMs` if it has not exited. */
export async function stopProcess(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited(child)
  clearTimeout(timer)
}
