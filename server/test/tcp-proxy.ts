import { connect, createServer, type Server, type Socket } from 'node:net'

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
