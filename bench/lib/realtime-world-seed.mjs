// Seeds the bench:realtime world (bench/lib/realtime-world.ts) in its own process, into the embedded
// database under `dataDir` or into the database at `databaseUrl`; used by bench:realtime and
// bench:reconnect. `run` spawns as each bench does (its own stdio, its list of children to kill).
import { join } from 'node:path'

export async function seedRealtimeWorld(run, exited, { dir, worldFile, residents, direct, databaseUrl }) {
  const seed = run(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/lib/realtime-world.ts',
      join(dir, 'data'),
      worldFile,
      String(residents),
      String(direct),
    ],
    { DATABASE_URL: databaseUrl },
  )
  if ((await exited(seed)) !== 0) throw new Error('seeding failed')
}
