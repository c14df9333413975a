import type { Locale } from '@common/i18n/messages'
import type { LucideIcon } from 'lucide-react'
// One file per icon: the package's entry is every icon (1.3 MB); importing it took 1.3–1.7 s of a
// server start on a loaded 2-core machine, these three files 0.15–0.26 s.
import ALargeSmall from 'lucide-react/icons/a-large-small'
import Phone from 'lucide-react/icons/phone'
import ShieldCheck from 'lucide-react/icons/shield-check'
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
// The web app's own words: the header a server-rendered page shows is the app's header, word for word.
import en from '../../../web/i18n/en.json'
import vi from '../../../web/i18n/vi.json'
import { esc } from './web-pages.render'

const catalogues = { vi, en } as const

/** A plain string of the web app's catalogue by dotted key ("app.name"); Vietnamese when missing. */
function webText(locale: Locale, key: string): string {
  const find = (root: unknown) =>
    key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], root)
  const text = find(catalogues[locale]) ?? find(catalogues.vi)
  return typeof text === 'string' ? text : key
}

/** The icon's SVG exactly as lucide-react draws it in the app (rendered once per icon and class). */
const icon = (Icon: LucideIcon, className: string) =>
  renderToStaticMarkup(createElement(Icon, { className, 'aria-hidden': 'true' }))
const svg = {
  brand: icon(ShieldCheck, 'brand__mark'),
  largeText: icon(ALargeSmall, 'icon'),
  phone: icon(Phone, 'icon'),
}

const EMERGENCY = [
  { tel: '113', key: 'app.emergencyPolice' },
  { tel: '114', key: 'app.emergencyFire' },
  { tel: '115', key: 'app.emergencyAmbulance' },
] as const

/**
 * A server-rendered page inside the resident layout the app draws (web/layouts/ResidentLayout.tsx:
 * skip link, header with the language and large-text buttons, the page, emergency numbers): the
 * header is in the first paint, not only once the app arrives — on slow 3G the app starts only at
 * the reader's first touch (web/boot.ts). The buttons carry data-prerender-control, which boot.ts
 * answers until the app replaces this markup with its own, identical, header.
 */
export function wrapInResidentLayout(main: string, locale: Locale): string {
  const t = (key: string) => esc(webText(locale, key))
  const langs = (['vi', 'en'] as const)
    .map(
      (lang) =>
        `<button type="button" lang="${lang}" class="segmented__option" aria-pressed="${lang === locale}" data-prerender-control="lang">${esc(webText(lang, `lang.${lang}`))}</button>`,
    )
    .join('')
  const header = `<header class="app-header"><div class="app-header__inner"><a href="/" class="brand">${svg.brand}<span class="brand__text"><span class="brand__name">${t('app.name')}</span><span class="brand__tagline">${t('app.tagline')}</span></span></a><div class="header-tools"><fieldset class="segmented" aria-label="${t('prefs.language')}">${langs}</fieldset><button type="button" class="header-toggle" aria-pressed="false" title="${t('prefs.largeTextHint')}" data-prerender-control="large-text">${svg.largeText}${t('prefs.largeText')}</button></div></div></header>`
  const numbers = EMERGENCY.map(
    ({ tel, key }) => `<li><a href="tel:${tel}">${svg.phone}${t(key)}</a></li>`,
  ).join('')
  const footer = `<footer class="resident-footer"><div class="resident-footer__inner"><div class="emergency">${t('app.emergency')}<ul class="emergency__list">${numbers}</ul></div><p>${t('app.footerNote')}</p></div></footer>`
  return `<div class="resident-layout"><a class="skip-link" href="#main">${t('app.skipToContent')}</a>${header}${main}${footer}</div>`
}
