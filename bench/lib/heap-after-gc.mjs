// Memory a process keeps, not what it has yet to collect: through its inspector (started with
// --inspect=127.0.0.1:<port>), two full garbage collections, then its RSS and V8 heap. RSS right after
// thousands of upgrades also holds their garbage, so memory per connection is read after this.
import { readFileSync } from 'node:fs'
import WebSocket from 'ws'

const rssMiB = (pid) =>
  Number(
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'))
      .split(/\s+/)[1],
  ) / 1024

/** `{ rss_mib, heap_used_mib, external_mib }` of the process after a full collection. */
export async function memoryAfterGc(pid, inspectPort) {
  const [target] = await (await fetch(`http://127.0.0.1:${inspectPort}/json/list`)).json()
  const ws = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  let lastId = 0
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++lastId
      const onMessage = (raw) => {
        const msg = JSON.parse(raw.toString())
        if (msg.id !== id) return
        ws.off('message', onMessage)
        resolve(msg.result)
      }
      ws.on('message', onMessage)
      ws.send(JSON.stringify({ id, method, params }))
    })
  try {
    await call('HeapProfiler.collectGarbage')
    await call('HeapProfiler.collectGarbage')
    const { result } = await call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })
    const usage = JSON.parse(result.value)
    const mib = (n) => Math.round((n / 2 ** 20) * 10) / 10
    return {
      rss_mib: Math.round(rssMiB(pid) * 10) / 10,
      heap_used_mib: mib(usage.heapUsed),
      external_mib: mib(usage.external + usage.arrayBuffers),
    }
  } finally {
    ws.close()
  }
}
