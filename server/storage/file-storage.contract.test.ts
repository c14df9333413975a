import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startFakeS3 } from '../test/fakes/fake-s3'
import { createFileStorage } from './create-file-storage'
import { describeFileStorageContract } from './file-storage.contract'
import { LocalFileStorage } from './local-file-storage'
import { S3FileStorage } from './s3-file-storage'

describeFileStorageContract('local folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nc-contract-'))
  return {
    storage: new LocalFileStorage(root),
    close: async () => rmSync(root, { recursive: true, force: true }),
  }
})

describeFileStorageContract('S3 bucket (s3rver)', async () => {
  const s3 = await startFakeS3()
  // Built the way the server builds it: from S3_* settings.
  const storage = await createFileStorage({
    DATA_DIR: '/nonexistent',
    S3_REGION: 'us-east-1',
    ...s3env(s3.env),
  })
  if (!(storage instanceof S3FileStorage)) throw new Error('expected the S3 storage when S3_BUCKET is set')
  return {
    storage,
    close: async () => {
      storage.close()
      await s3.close()
    },
  }
})

function s3env(env: Record<string, string>) {
  return {
    S3_BUCKET: env.S3_BUCKET,
    S3_ENDPOINT: env.S3_ENDPOINT,
    S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
    S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
    S3_FORCE_PATH_STYLE: env.S3_FORCE_PATH_STYLE === 'true',
  }
}
