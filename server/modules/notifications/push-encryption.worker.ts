// Worker thread of PushEncryptionPool: encrypts the batches of push messages it is posted and
// posts the bodies back in the same order. Started through push-encryption.worker-boot.mjs under
// tsx, or bundled as dist/server/push-encryption.worker.mjs (scripts/lib/server-build.mjs).
import { parentPort } from 'node:worker_threads'
import { decodeDeviceKeys, encryptPushMessage, InvalidDeviceKeys } from './push-encryption'

export interface EncryptRequest {
  id: number
  p256dh: string
  auth: string
  plaintext: string
}
export type EncryptResponse =
  | { id: number; body: Uint8Array }
  | { id: number; error: string; invalidKeys: boolean }

parentPort?.on('message', (batch: EncryptRequest[]) => {
  const out: EncryptResponse[] = batch.map((r) => {
    try {
      const body = encryptPushMessage(decodeDeviceKeys(r), Buffer.from(r.plaintext))
      // A copy of its own: the body may sit in Buffer's shared 8 KB pool, which posting would clone whole.
      return { id: r.id, body: new Uint8Array(body) }
    } catch (err) {
      return { id: r.id, error: (err as Error).message, invalidKeys: err instanceof InvalidDeviceKeys }
    }
  })
  parentPort?.postMessage(out)
})
