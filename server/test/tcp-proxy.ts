import { connect, createServer, type Server, type Socket } from 'node:net'
import { type DatabaseHandle, openDatabase } from '../db/client'
import { createTestDatabase } from './test-database'

export type ProxyMode = 'open' | 'reset' | 'blackhole'

/**
 * A TCP proxy between the app and a real PostgreSQL or Redis that a test can cut and restore:
 * `reset` drops every connection and refuses new ones at once (a server restarting);
 * `blackhole` drops every connection and lets new ones hang (a host that vanished).
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>()
  private mode: ProxyMode = 'open'
  private server?: Server
  port = 0

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A started proxy to the server a postgres:// or redis:// URL names; `proxy.url(target)` goes through it. */
  static async to(target: string, defaultPort: number): Promise<TcpProxy> {
    const u = new URL(target)
    const proxy = new TcpProxy(u.hostname, Number(u.port || defaultPort))
    await proxy.start()
    return proxy
  }

  async start(): Promise<number> {
    this.server = createServer((client) => this.accept(client))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as { port: number }).port
    return this.port
  }

  /** Rewrites a postgres:// or redis:// URL to go through the proxy. */
  url(target: string): string {
    const u = new URL(target)
    u.hostname = '127.0.0.1'
    u.port = String(this.port)
    return u.toString()
  }

  cut(mode: Exclude<ProxyMode, 'open'>): void {
    this.mode = mode
    for (const s of this.sockets) s.destroy()
    this.sockets.clear()
  }

  restore(): void {
    this.mode = 'open'
  }

  async close(): Promise<void> {
    this.cut('reset')
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve())
  }

  private accept(client: Socket): void {
    if (this.mode === 'reset') return void client.destroy()
    this.sockets.add(client)
    client.on('close', () => this.sockets.delete(client))
    client.on('error', () => client.destroy())
    if (this.mode === 'blackhole') return
    const upstream = connect(this.targetPort, this.targetHost)
    this.sockets.add(upstream)
    upstream.on('close', () => {
      this.sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
    client.pipe(upstream)
    upstream.pipe(client)
  }
}

/**
 * A fresh test database (PostgreSQL only) reached through a proxy a test can cut: `direct` for
 * seeding and checking, `proxied` for the code under test, and `openProxied()` for another pool
 * through the same proxy (a second app instance). `close` ends them all.
 */
export async function proxiedTestDatabase(opts: { poolMax: number; connectTimeoutMs: number }) {
  const direct = await createTestDatabase()
  const proxy = await TcpProxy.to(direct.url as string, 5432)
  const handles: DatabaseHandle[] = []
  const openProxied = async (): Promise<DatabaseHandle> => {
    const opened = await openDatabase({
      databaseUrl: proxy.url(direct.url as string),
      dataDir: 'memory://',
      ...opts,
    })
    // A test may close the pool itself (to time it); closing twice would throw.
    let closing: Promise<void> | undefined
    const handle = { ...opened, close: () => (closing ??= opened.close()) }
    handles.push(handle)
    return handle
  }
  const proxied = await openProxied()
  return {
    direct,
    proxy,
    proxied,
    openProxied,
    async close() {
      for (const handle of handles) await handle.close()
      await proxy.close()
      await direct.close()
    },
  }
}
