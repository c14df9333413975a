// npm run docs:data-map — writes docs/personal-data.md from the modules' personal-data declarations.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { renderDataMap } from '../server/modules/account/data-map'
import { personalDataModules } from '../server/modules/personal-data'

writeFileSync(new URL('../docs/personal-data.md', import.meta.url), renderDataMap(personalDataModules))
// Biome aligns the tables; the test compares against the same formatting.
execFileSync('npx', ['biome', 'format', '--write', 'docs/personal-data.md'], { stdio: 'inherit' })
process.stdout.write('docs/personal-data.md written\n')
