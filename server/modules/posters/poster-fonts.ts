import { createRequire } from 'node:module'
import * as fontkit from 'fontkit'
import { projectPath } from '../../lib/project-paths'

const require = createRequire(projectPath('package.json'))

/** Full Be Vietnam Pro TTFs (every Vietnamese glyph), from the npm registry; never a CDN. */
export const posterFontFiles = {
  regular: require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf'),
} as const

export type FontWeight = keyof typeof posterFontFiles

let loaded: Record<FontWeight, fontkit.Font> | undefined

export function posterFonts(): Record<FontWeight, fontkit.Font> {
  loaded ??= {
    regular: fontkit.openSync(posterFontFiles.regular) as fontkit.Font,
    bold: fontkit.openSync(posterFontFiles.bold) as fontkit.Font,
  }
  return loaded
}

/** Width of a run of text in points at a size, measured with the font's real shaping. */
export function textWidth(text: string, weight: FontWeight, size: number): number {
  const font = posterFonts()[weight]
  return (font.layout(text.normalize('NFC')).advanceWidth / font.unitsPerEm) * size
}

/** Greedy word wrap by measured width. Vietnamese breaks between syllables, at spaces. */
export function wrapText(text: string, weight: FontWeight, size: number, maxWidth: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (line && textWidth(candidate, weight, size) > maxWidth) {
      lines.push(line)
      line = word
    } else line = candidate
  }
  if (line) lines.push(line)
  return lines
}
