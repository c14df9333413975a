import { type Config, loadConfig } from '../config'

/** A config for tests: no files outside a temp dir, quiet logs, a fixed secret. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: `/tmp/nhipcau-test-${process.pid}`,
    SESSION_SECRET: 'test-secret-test-secret-test-secret-0000',
    LOG_LEVEL: 'silent',
    WEB_DIST_DIR: '/nonexistent',
    // The fake push service (server/test/fakes) listens on 127.0.0.1: named exactly, so allowed.
    PUSH_ALLOWED_HOSTS: '127.0.0.1',
    // Zalo and Meta: a test that does not start their fakes reaches a closed local port, never the platform.
    MESSENGER_GRAPH_URL: 'http://127.0.0.1:9',
    ZALO_OPENAPI_URL: 'http://127.0.0.1:9',
    ZALO_OAUTH_URL: 'http://127.0.0.1:9',
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    ...overrides,
  })
}
