/**
 * A Redis channel of this test file's own: test files run side by side on one Redis (CI's), and an
 * event or a resync request from one file's buses must never reach another's sockets.
 */
export const testRedisChannel = () => `nhipcau:test:${process.pid}:${Math.random().toString(36).slice(2, 10)}`
