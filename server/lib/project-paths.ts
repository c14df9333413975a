import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Files the server reads at run time (migrations, catalogue, word lists) are named from the project
// root, not from the module reading them: the same code runs from server/**.ts through tsx and from
// one bundled file in dist/server (scripts/lib/server-build.mjs), where every module's
// import.meta.url is the bundle's.

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir
    if (dirname(dir) === dir) throw new Error(`nhipcau: no package.json in ${from} or above it`)
  }
}

/** The folder holding the project's package.json (found once, walking up from this module). */
export const projectRoot = findProjectRoot(dirname(fileURLToPath(import.meta.url)))

/** An absolute path from project-relative parts: `projectPath('catalogue', 'units', file)`. */
export function projectPath(...parts: string[]): string {
  return join(projectRoot, ...parts)
}

/** True in the prebuilt bundle (dist/server/*.mjs), false when the TypeScript runs through tsx or Vitest. */
export const isServerBundle = !import.meta.url.endsWith('.ts')
