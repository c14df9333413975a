// The encryption worker runs the server's TypeScript, as the main thread does (scripts/start.mjs):
// a worker thread has its own module loader, so tsx is registered here first.
import { register } from 'tsx/esm/api'

register()
await import('./push-encryption.worker.ts')
