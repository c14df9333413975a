import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

/** s3rver's built-in account: it checks every request's signature against this pair. */
const ACCESS_KEY = 'S3RVER'

export interface FakeS3 {
  /** S3_* settings that point the server at this fake (path-style: no bucket subdomains on 127.0.0.1). */
  env: Record<string, string>
  bucket: string
  endpoint: string
  /** Stops answering (connections refused), keeping the objects: a bucket out of reach. */
  pause(): Promise<void>
  /** Answers again on the same port, with the objects it had. */
  resume(): Promise<void>
  close(): Promise<void>
}

/**
 * A local S3-compatible server (s3rver, from npm) on a free port, with one empty bucket, its objects
 * in a temporary folder. Tests start their own; nothing outside the test process is needed.
 */
export async function startFakeS3(bucket = 'nhipcau-test'): Promise<FakeS3> {
  const directory = mkdtempSync(join(tmpdir(), 'nhipcau-s3-'))
  const start = (port: number) =>
    new S3rver({ address: '127.0.0.1', port, silent: true, directory, configureBuckets: [{ name: bucket }] })
  let server: S3rver | undefined = start(0)
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    bucket,
    endpoint,
    env: {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: ACCESS_KEY,
      S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      S3_FORCE_PATH_STYLE: 'true',
    },
    pause: async () => {
      await server?.close()
      server = undefined
    },
    resume: async () => {
      server = start(port)
      await server.run()
    },
    close: async () => {
      await server?.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
