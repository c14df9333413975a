import type { TSendMessageRequest } from '@common/schemas/messaging'
import i18next from 'i18next'
import { isRefusal } from '../../api/client'
import { messagingApi, type SendResponse } from './messaging-api'
import { voiceStore } from './voice/voice-store'

/**
 * The outbox: every message is written here (localStorage) before it is sent, with a client key made
 * once. It is retried with the same key until the server answers, across reloads and offline spells,
 * so a message the user saw as "waiting" is never lost and never sent twice.
 */
export interface Outgoing {
  clientKey: string
  /** 'ask' or a conversation id. */
  target: string
  request: TSendMessageRequest & { clientKey: string }
  createdAt: string
  state: 'waiting' | 'failed'
  /** A message the server refused (4xx): shown with its reason and not retried. */
  error?: string
  /** A voice message: its recording waits in the voice store until it is uploaded. */
  voice?: OutgoingVoice
}

export interface OutgoingVoice {
  mime: string
  /** As the recorder measured it (absent for a chosen file); the server measures again. */
  durationMs?: number
  /** Set once the upload succeeded, so a retry sends the message without uploading again. */
  fileId?: string
}

const STORAGE_KEY = 'nhipcau.outbox.v1'
type Listener = (items: Outgoing[]) => void
type SentListener = (sent: SendResponse, item: Outgoing) => void

function load(): Outgoing[] {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY)
    const parsed: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(parsed) ? (parsed as Outgoing[]) : []
  } catch {
    return []
  }
}

export const newClientKey = () =>
  globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

class SendQueue {
  private items: Outgoing[] = load()
  private readonly listeners = new Set<Listener>()
  private readonly sentListeners = new Set<SentListener>()
  private running = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private delay = 1000

  constructor() {
    globalThis.addEventListener?.('online', () => this.kick(true))
    // Another tab of the same browser may have sent or queued something.
    globalThis.addEventListener?.('storage', (e: StorageEvent) => {
      if (e.key === STORAGE_KEY) {
        this.items = load()
        this.emit()
      }
    })
  }

  list(target?: string): Outgoing[] {
    return target ? this.items.filter((i) => i.target === target) : [...this.items]
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onSent(listener: SentListener): () => void {
    this.sentListeners.add(listener)
    return () => this.sentListeners.delete(listener)
  }

  enqueue(target: string, request: Omit<TSendMessageRequest, 'clientKey'>): Outgoing {
    const clientKey = newClientKey()
    const item: Outgoing = {
      clientKey,
      target,
      request: { ...request, clientKey },
      createdAt: new Date().toISOString(),
      state: 'waiting',
    }
    this.items.push(item)
    this.save()
    this.kick(true)
    return item
  }

  /**
   * A voice message: the recording is stored before anything is sent, then uploaded and sent in
   * order with the rest. The upload's idempotency key is made from the client key, so a retry after
   * a lost answer reuses the first upload, and the message itself goes once, like a text.
   */
  async enqueueVoice(
    target: string,
    recording: Blob,
    durationMs: number | undefined,
    request: Omit<TSendMessageRequest, 'clientKey' | 'attachmentIds'> = {},
  ): Promise<Outgoing> {
    const clientKey = newClientKey()
    await voiceStore.put(clientKey, recording)
    const item: Outgoing = {
      clientKey,
      target,
      request: { ...request, clientKey },
      createdAt: new Date().toISOString(),
      state: 'waiting',
      voice: { mime: recording.type, ...(durationMs ? { durationMs } : {}) },
    }
    this.items.push(item)
    this.save()
    this.kick(true)
    return item
  }

  discard(clientKey: string): void {
    this.items = this.items.filter((i) => i.clientKey !== clientKey)
    void voiceStore.delete(clientKey)
    this.save()
  }

  retry(clientKey: string): void {
    const item = this.items.find((i) => i.clientKey === clientKey)
    if (!item) return
    item.state = 'waiting'
    delete item.error
    this.save()
    this.kick(true)
  }

  /** Sends waiting items one by one, in order; a network or server failure waits and tries again. */
  kick(now = false): void {
    if (now) this.delay = 1000
    clearTimeout(this.timer)
    void this.run()
  }

  private async run(): Promise<void> {
    if (this.running) return
    this.running = true
    try {
      for (;;) {
        const item = this.items.find((i) => i.state === 'waiting')
        if (!item) return
        try {
          const request = item.voice ? await this.withRecording(item, item.voice) : item.request
          if (!request) continue
          const sent = await messagingApi.send(item.target, request)
          this.items = this.items.filter((i) => i.clientKey !== item.clientKey)
          if (item.voice) void voiceStore.delete(item.clientKey)
          this.save()
          for (const l of this.sentListeners) l(sent, item)
          this.delay = 1000
        } catch (err) {
          if (isRefusal(err)) {
            item.state = 'failed'
            item.error = err.detail ?? err.title
            this.save()
            continue
          }
          // Offline or the server is restarting: the same key goes again later.
          this.timer = setTimeout(() => this.kick(), this.delay)
          this.delay = Math.min(this.delay * 2, 30_000)
          return
        }
      }
    } finally {
      this.running = false
    }
  }

  /** Uploads a voice message's recording once; the request then carries the file's id. */
  private async withRecording(item: Outgoing, voice: OutgoingVoice): Promise<Outgoing['request'] | null> {
    if (!voice.fileId) {
      const recording = await voiceStore.get(item.clientKey)
      if (!recording) {
        // Browser storage was cleared while the message waited: nothing left to send.
        item.state = 'failed'
        item.error = i18next.t('messaging.voice.lost')
        this.save()
        return null
      }
      const conversationId =
        item.target === 'ask' ? (await messagingApi.openAsk()).conversationId : item.target
      const uploaded = await messagingApi.uploadVoice(conversationId, recording, `${item.clientKey}-voice`)
      voice.fileId = uploaded.fileId
      this.save()
    }
    return { ...item.request, attachmentIds: [voice.fileId] }
  }

  private save(): void {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(this.items))
    } catch {
      // Storage full or disabled: the queue still works for this page's lifetime.
    }
    this.emit()
  }

  private emit(): void {
    const snapshot = [...this.items]
    for (const l of this.listeners) l(snapshot)
  }
}

let queue: SendQueue | null = null
/** The page's one outbox; it starts sending what an earlier visit left waiting. */
export function sendQueue(): SendQueue {
  if (!queue) {
    queue = new SendQueue()
    queue.kick(true)
  }
  return queue
}
