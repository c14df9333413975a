import { readFileSync } from 'node:fs'
import { projectPath } from './project-paths'

/** The version in package.json: what the OpenAPI document, backups and the health page report. */
export const APP_VERSION: string = (
  JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version: string }
).version
