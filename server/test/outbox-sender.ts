import { randomUUID } from 'node:crypto'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export interface SentItem {
  key: string
  conversationId: string
  url: string
  headers: Record<string, string>
  body: string
  acknowledged: boolean
  /** The latest answer's status (0: no answer). */
  lastStatus?: number
}

export interface OutboxSenderOptions {
  /** Prefix of every clientKey (a test finds its own messages by it). */
  keyPrefix: string
  /**
   * While the server refuses (503, a dropped connection), send the same message again after this
   * many ms, as the web outbox does. Without it, the loop ends at the first refusal (a killed server).
   */
  retryRefusedMs?: number
}

/**
 * One sender (a resident's phone, an officer's console) with the web outbox's contract: one message
 * after another, each with its own clientKey, acknowledged by a 200/201; an unanswered message is
 * sent again with the same key, so the server must store it once.
 */
export function outboxSender(
  url: string,
  headers: Record<string, string>,
  conversationId: string,
  opts: OutboxSenderOptions,
) {
  const sent: SentItem[] = []
  /** Answers by status (0: no answer, the connection failed). */
  const statuses = new Map<number, number>()
  let stop = false
  const send = async (item: SentItem): Promise<boolean> => {
    let status = 0
    try {
      const res = await fetch(item.url, {
        method: 'POST',
        headers: item.headers,
        body: JSON.stringify({ clientKey: item.key, body: item.body }),
      })
      await res.arrayBuffer()
      status = res.status
    } catch {
      // No answer: the outbox keeps the message.
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    item.lastStatus = status
    item.acknowledged ||= status === 201 || status === 200
    return item.acknowledged
  }
  const next = (): SentItem => {
    const item = {
      key: `${opts.keyPrefix}${randomUUID()}`,
      conversationId,
      url,
      headers,
      body: `Tin số ${sent.length + 1}`,
      acknowledged: false,
    }
    sent.push(item)
    return item
  }
  return {
    sent,
    statuses,
    /** Sends one after another (with a short pause, as people type) until told to stop. */
    loop: async () => {
      while (!stop) {
        const item = next()
        while (!(await send(item))) {
          if (opts.retryRefusedMs === undefined || stop) return
          await sleep(opts.retryRefusedMs)
        }
        await sleep(15)
      }
    },
    stop: () => {
      stop = true
    },
    /** The outbox after an outage: every unacknowledged message again, with its own key. */
    retryUnanswered: async () => {
      for (const item of sent.filter((s) => !s.acknowledged)) {
        const deadline = Date.now() + 30_000
        while (!(await send(item)) && Date.now() < deadline) await sleep(200)
      }
    },
    sendMore: async (n: number) => {
      for (let i = 0; i < n; i++) await send(next())
    },
  }
}

export type OutboxSender = ReturnType<typeof outboxSender>
