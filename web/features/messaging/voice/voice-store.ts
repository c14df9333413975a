/**
 * Where a recorded voice message waits until the outbox has uploaded it: IndexedDB, so a recording
 * made offline survives a reload like a waiting text does (localStorage is too small for audio).
 * Without IndexedDB (private modes of some browsers, tests) the recording lives as long as the page.
 */
const DB_NAME = 'nhipcau-outbox'
const STORE = 'voice'

const memory = new Map<string, Blob>()
let opening: Promise<IDBDatabase | null> | null = null

function openDb(): Promise<IDBDatabase | null> {
  if (!globalThis.indexedDB) return Promise.resolve(null)
  opening ??= new Promise((resolve) => {
    const req = globalThis.indexedDB.open(DB_NAME, 1)
    req.onupgradeneeded = () => req.result.createObjectStore(STORE)
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => resolve(null)
    req.onblocked = () => resolve(null)
  })
  return opening
}

function run<T>(
  mode: IDBTransactionMode,
  fn: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  return openDb().then(
    (db) =>
      new Promise((resolve) => {
        if (!db) return resolve(undefined)
        try {
          const req = fn(db.transaction(STORE, mode).objectStore(STORE))
          req.onsuccess = () => resolve(req.result)
          req.onerror = () => resolve(undefined)
        } catch {
          resolve(undefined)
        }
      }),
  )
}

export const voiceStore = {
  async put(key: string, blob: Blob): Promise<void> {
    memory.set(key, blob)
    await run('readwrite', (s) => s.put(blob, key))
  },
  async get(key: string): Promise<Blob | undefined> {
    return memory.get(key) ?? ((await run('readonly', (s) => s.get(key))) as Blob | undefined)
  },
  async delete(key: string): Promise<void> {
    memory.delete(key)
    await run('readwrite', (s) => s.delete(key))
  },
}
