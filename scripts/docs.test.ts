import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ZConfigEnv } from '../server/config'

const root = resolve(import.meta.dirname, '..')
const read = (file: string) => readFileSync(resolve(root, file), 'utf8')
const settings = [...Object.keys(ZConfigEnv.shape), 'SKIP_WEB_BUILD']

describe('the documented settings', () => {
  it('.env.example shows every setting the server reads, commented out so that copying it changes nothing', () => {
    const example = read('.env.example')
    const missing = settings.filter((name) => !new RegExp(`^# ${name}=`, 'm').test(example))
    expect(missing).toEqual([])
    expect(example.split('\n').filter((line) => line.trim() && !line.startsWith('#'))).toEqual([])
  })

  it('the README configuration table has a row for every setting', () => {
    const readme = read('README.md')
    const missing = settings.filter((name) => !new RegExp(`^\\| \`${name}\` +\\|`, 'm').test(readme))
    expect(missing).toEqual([])
  })
})
