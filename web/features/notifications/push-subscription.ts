import { apiFetch } from '../../api/client'

export type PushState = 'unsupported' | 'denied' | 'off' | 'on'

export const pushSupported = () =>
  typeof window !== 'undefined' &&
  'serviceWorker' in navigator &&
  'PushManager' in window &&
  'Notification' in window

const urlBase64ToBytes = (s: string) => {
  const raw = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4))
  return Uint8Array.from(raw, (c) => c.charCodeAt(0))
}

async function registration() {
  return navigator.serviceWorker.register('/sw.js', { scope: '/' })
}

export async function currentPushState(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  if (Notification.permission === 'denied') return 'denied'
  const sub = await (await registration()).pushManager.getSubscription()
  return sub ? 'on' : 'off'
}

/** Asks permission, subscribes with the server's VAPID key and registers the subscription. */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return 'unsupported'
  if ((await Notification.requestPermission()) !== 'granted') return 'denied'
  const { publicKey } = await apiFetch<{ publicKey: string }>('/api/push/public-key')
  const reg = await registration()
  const sub =
    (await reg.pushManager.getSubscription()) ??
    (await reg.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: urlBase64ToBytes(publicKey),
    }))
  await apiFetch('/api/push/subscriptions', { method: 'POST', body: sub.toJSON() })
  return 'on'
}

export async function disablePush(): Promise<PushState> {
  const sub = await (await registration()).pushManager.getSubscription()
  if (sub) {
    await apiFetch('/api/push/subscriptions', { method: 'DELETE', body: { endpoint: sub.endpoint } })
    await sub.unsubscribe()
  }
  return 'off'
}
