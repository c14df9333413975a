import { readFileSync } from 'node:fs'

/** The version in package.json: what the OpenAPI document, backups and the health page report. */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version
