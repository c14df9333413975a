import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { personalDataModules } from '../personal-data'
import { renderDataMap } from './data-map'

describe('the personal data map', () => {
  it('docs/personal-data.md is what the declarations say (run npm run docs:data-map)', () => {
    const committed = readFileSync(new URL('../../../docs/personal-data.md', import.meta.url), 'utf8')
    // Formatted as the script formats it (Biome aligns the tables).
    const expected = execFileSync(
      'node_modules/.bin/biome',
      ['format', '--stdin-file-path=docs/personal-data.md'],
      {
        input: renderDataMap(personalDataModules),
        encoding: 'utf8',
      },
    )
    expect(committed).toBe(expected)
  })

  it('every declared field says its purpose, readers, retention, legal basis and what deletion does', () => {
    for (const m of personalDataModules)
      for (const f of m.fields)
        for (const v of [f.purpose, f.readers, f.retention, f.legalBasis, f.onErase])
          expect(v.length, `${m.name}.${f.table}`).toBeGreaterThan(3)
  })
})
