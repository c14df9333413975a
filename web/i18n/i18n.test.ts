import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

type Tree = { [key: string]: string | Tree }

function load(lang: string): Tree {
  return JSON.parse(readFileSync(new URL(`./${lang}.json`, import.meta.url), 'utf8')) as Tree
}

/** Flattens nested translations into `a.b.c` → value pairs. */
function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flatten(value, path)) out.set(k, v)
    } else {
      out.set(path, value)
    }
  }
  return out
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)[^}]*\}\}/g)].map((m) => m[1]).sort()

const vi = flatten(load('vi'))
const en = flatten(load('en'))

describe('translations', () => {
  it('vi.json and en.json have exactly the same keys', () => {
    const missingInEn = [...vi.keys()].filter((k) => !en.has(k))
    const missingInVi = [...en.keys()].filter((k) => !vi.has(k))
    expect({ missingInEn, missingInVi }).toEqual({ missingInEn: [], missingInVi: [] })
  })

  it.each([
    ['vi', vi],
    ['en', en],
  ])('%s.json has no empty or non-string value', (_lang, entries) => {
    const bad = [...entries].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k)
    expect(bad).toEqual([])
  })

  it('uses the same {{placeholders}} in both languages', () => {
    const differing = [...vi].filter(([k, v]) => {
      const other = en.get(k)
      if (typeof v !== 'string' || typeof other !== 'string') return false
      return placeholders(v).join() !== placeholders(other).join()
    })
    expect(differing.map(([k]) => k)).toEqual([])
  })

  it('writes Vietnamese with diacritics', () => {
    expect(vi.get('home.heading')).toMatch(/[ịầườ]/)
  })
})
