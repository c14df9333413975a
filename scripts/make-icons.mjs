// Makes the app icons of the web manifest (issue #19: installable app) from web/public/favicon.svg.
// Run once after changing the favicon: `node scripts/make-icons.mjs`; the PNGs are committed.
// "any" icons: the shield on an opaque white square (iOS and launchers show no transparency well).
// "maskable": the shield inside the central 60 % so the launcher's circle or squircle mask never cuts it.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const pub = (name) => fileURLToPath(new URL(`../web/public/${name}`, import.meta.url))
const svg = readFileSync(pub('favicon.svg'))
const white = { r: 255, g: 255, b: 255, alpha: 1 }

async function icon(file, size, shieldShare) {
  const inner = Math.round(size * shieldShare)
  const shield = await sharp(svg, { density: Math.ceil((72 * inner) / 24) })
    .resize(inner, inner)
    .png()
    .toBuffer()
  await sharp({ create: { width: size, height: size, channels: 4, background: white } })
    .composite([{ input: shield, gravity: 'center' }])
    .flatten({ background: white })
    .png({ compressionLevel: 9, palette: true })
    .toFile(pub(file))
  console.log(`${file} ${size}×${size}`)
}

await icon('icon-192.png', 192, 0.84)
await icon('icon-512.png', 512, 0.84)
await icon('icon-maskable-512.png', 512, 0.6)
await icon('apple-touch-icon.png', 180, 0.8)
