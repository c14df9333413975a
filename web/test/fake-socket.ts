import { vi } from 'vitest'

/**
 * The browser's WebSocket as the page's RealtimeClient uses it, driven by the test: `serverOpens`,
 * `serverSends` and `sent` (frames the page sent, parsed).
 */
export class FakeWebSocket {
  static readonly all: FakeWebSocket[] = []
  static last(): FakeWebSocket {
    const socket = FakeWebSocket.all.at(-1)
    if (!socket) throw new Error('the page opened no socket')
    return socket
  }
  readyState = 0
  readonly sent: Record<string, unknown>[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this)
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>)
  }
  close() {
    this.readyState = 3
  }
  serverOpens() {
    this.readyState = 1
    this.onopen?.({})
    this.serverSends({ type: 'hello' })
  }
  serverSends(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
}

export function installFakeWebSocket(): typeof FakeWebSocket {
  vi.stubGlobal('WebSocket', FakeWebSocket)
  return FakeWebSocket
}
