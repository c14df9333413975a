import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

/**
 * Tests that start real processes, kill them or run drizzle-kit: they run in `npm run test:slow`
 * (and in CI, on both databases), not in the `npm test` loop. Each took from one to several
 * minutes of a busy 2-core machine. Add a file here only for that reason, and say why.
 */
const SLOW_TESTS = [
  // kill -9 of a server in the middle of a burst of writes; the data survives (both backends).
  'server/test/durability.test.ts',
  // kill -9 while residents send messages: every acknowledged message is there exactly once.
  'server/modules/messaging/durability.test.ts',
  // The `nhipcau` command as a process: four cold starts of tsx and a new embedded database.
  'server/cli/cli-process.test.ts',
  // Runs drizzle-kit against the schema and the migrations (several processes).
  'scripts/check-drift.test.ts',
  // Two app processes on one PostgreSQL and Redis (runs when DATABASE_URL and TEST_REDIS_URL are set).
  'server/realtime/two-instances.test.ts',
  // Backs up and restores whole databases three times (PGlite gzip'd data folders, or pg_dump).
  'server/modules/backup/backup.test.ts',
  // PostgreSQL cut and restored behind a TCP proxy, twice (waits out connect timeouts; needs DATABASE_URL).
  'server/test/database-outage.test.ts',
  // Redis cut and restored behind a TCP proxy under a listening app (waits for reconnects; needs TEST_REDIS_URL).
  'server/realtime/redis-outage.test.ts',
  // A burst of 1,000 signed webhook deliveries, all stored and filed in order (50–90 s of a busy 2-core machine).
  'server/modules/messaging/channels/channel-burst.test.ts',
  // Mounts a 5 MB tmpfs as the files folder (root only, else skipped) and fills it with a clip upload.
  'server/test/disk-full.test.ts',
  // Residents write in a loop while PostgreSQL is cut for 2 s behind a TCP proxy (needs DATABASE_URL).
  'server/test/database-cut-under-load.test.ts',
  // kill -9 of the real server under five WebSocket clients and four senders, then a restart on the
  // same data: two cold starts of tsx (migrations and demo seed on the first), 1–3 minutes.
  'server/test/kill-9-websockets.test.ts',
  // The real server started twice on a listening socket held across a kill -9 (as systemd holds it).
  'server/test/held-socket-restart.test.ts',
  // Redis cut for 2 s while two in-process instances fan out a write loop to WebSocket clients
  // (needs DATABASE_URL and TEST_REDIS_URL).
  'server/realtime/redis-cut-two-instances.test.ts',
  // PostgreSQL cut for 2 s behind a TCP proxy while residents write through one in-process instance
  // and their officer through another, sharing Redis (needs DATABASE_URL and TEST_REDIS_URL).
  'server/test/database-cut-two-instances.test.ts',
  // Builds the previous release's schema from scratch (30 migrations: 40–55 s on a loaded PGlite),
  // fills it with that era's rows, then upgrades it and starts the app on it.
  'server/db/upgrade.test.ts',
]

// Three projects. `npm test` runs `server` and `web` (the fast loop, Node and npm only);
// `npm run test:slow` runs `slow` (crash, soak and multi-process tests, listed above);
// `npm run test:pg` and a bare `npx vitest run <files>` run whichever projects hold the files.
export default defineConfig({
  resolve: { alias: { '@server': r('./server'), '@web': r('./web'), '@common': r('./common') } },
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts', 'common/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: SLOW_TESTS,
          environment: 'node',
          // One module graph per worker instead of one per file: importing the server for each of
          // ~80 files cost ~110 s of CPU (import 114 s of a 272 s run on 2 idle cores). Each file
          // still builds its own app and database (createTestApp); what a file must not do is leave
          // module state behind — spies, stubbed globals and env are restored after every test.
          isolate: false,
          restoreMocks: true,
          unstubGlobals: true,
          unstubEnvs: true,
          globalSetup: ['./server/test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'web',
          include: ['web/**/*.test.tsx'],
          environment: 'happy-dom',
          setupFiles: ['./web/test/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW_TESTS,
          environment: 'node',
          globalSetup: ['./server/test/global-setup.ts'],
        },
      },
    ],
  },
})
