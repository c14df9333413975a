// NhipCau service worker: shows Web Push notifications and opens the right page on a tap.
// Payload (encrypted by the server, decrypted by the browser): { title, body, url, tag }.
self.addEventListener('push', (event) => {
  let data = { title: 'Nhịp Cầu', body: '', url: '/' }
  try {
    data = { ...data, ...event.data.json() }
  } catch {
    // A push without a JSON payload still shows something rather than nothing.
  }
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: data.body,
      tag: data.tag,
      data: { url: data.url },
      icon: '/favicon.svg',
      badge: '/favicon.svg',
    }),
  )
})

self.addEventListener('notificationclick', (event) => {
  event.notification.close()
  const url = new URL(event.notification.data?.url ?? '/', self.location.origin).href
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === url)
      return open ? open.focus() : self.clients.openWindow(url)
    }),
  )
})
