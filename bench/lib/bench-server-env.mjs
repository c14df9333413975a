// The environment a bench starts `server/main.ts` with: production mode on its own data folder and
// database, no demo data, no Redis, quiet logs.
export function benchServerEnv({ dataDir, port, secret, databaseUrl }) {
  return {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    NODE_ENV: 'production',
    // The bench sends no SMS; production refuses the console provider unless told.
    ALLOW_CONSOLE_SMS: '1',
    SESSION_SECRET: secret,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    LOG_FORMAT: 'json',
    DATABASE_URL: databaseUrl,
    REDIS_URL: '',
  }
}
