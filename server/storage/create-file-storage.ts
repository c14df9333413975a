import { resolve } from 'node:path'
import type { Config } from '../config'
import type { FileStorage } from './file-storage'
import { LocalFileStorage } from './local-file-storage'

type StorageConfig = Pick<
  Config,
  | 'DATA_DIR'
  | 'S3_BUCKET'
  | 'S3_ENDPOINT'
  | 'S3_REGION'
  | 'S3_ACCESS_KEY_ID'
  | 'S3_SECRET_ACCESS_KEY'
  | 'S3_FORCE_PATH_STYLE'
>

/**
 * The bucket when S3_BUCKET is set (several instances, no shared disk); DATA_DIR/files otherwise.
 * The AWS SDK is imported only for a bucket: the embedded default does not load it at start.
 */
export async function createFileStorage(config: StorageConfig): Promise<FileStorage & { close?(): void }> {
  if (!config.S3_BUCKET) return new LocalFileStorage(resolve(config.DATA_DIR, 'files'))
  const { S3FileStorage } = await import('./s3-file-storage')
  return new S3FileStorage({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
    credentials:
      config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
        : undefined,
  })
}
