import { type Locale, translate } from '@common/i18n/messages'
import type { TDirectoryArea, TPublicOfficer } from '@common/schemas/directory'
import type { TProcedureDetail } from '@common/schemas/procedures'
import { formatVietnamesePhone } from '@common/text/phone'

/** HTML text and attribute escaping. */
export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

const list = (items: string[], cls = 'proc-docs') =>
  items.length ? `<ul class="${cls}">${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>` : ''

const section = (id: string, title: string, body: string) =>
  `<section class="proc-section" aria-labelledby="ssr-${id}"><h2 id="ssr-${id}">${esc(title)}</h2>${body}</section>`

type Officer = Omit<TPublicOfficer, 'areas'>
const officerName = (o: Officer) => (o.rank && !o.name.startsWith(o.rank) ? `${o.rank} ${o.name}` : o.name)

function officerCard(o: Officer, large = false) {
  const phone = o.officialPhone
    ? `<a class="verified-phone" href="tel:${esc(o.officialPhone)}">${esc(formatVietnamesePhone(o.officialPhone))}</a>`
    : ''
  const photo = o.photoUrl
    ? `<img class="officer-card__photo" src="${esc(o.photoUrl)}" alt="" width="96" height="96">`
    : ''
  return `<article class="officer-card${large ? ' officer-card--large' : ''}" aria-label="${esc(officerName(o))}">${photo}<div class="officer-card__body"><h3 class="officer-card__name">${esc(officerName(o))}</h3>${o.title ? `<p class="officer-card__title">${esc(o.title)}</p>` : ''}${phone}</div></article>`
}

/**
 * The QR landing page (/a/:slug) as HTML the phone shows before any script arrives: the area, its
 * officer with the official phone (a tap calls), and the ward's commanders. The web app takes over
 * the same page once loaded.
 */
export function renderAreaPage(d: TDirectoryArea, locale: Locale): { title: string; html: string } {
  const t = (k: string, v: Record<string, string> = {}) => translate(locale, `page.${k}`, v)
  const { area, unit } = d
  const officer = area.currentOfficer
    ? officerCard(area.currentOfficer, true)
    : `<p>${esc(t('area.no_officer'))}</p>`
  const commanders = d.commanders.length
    ? `<section aria-labelledby="ssr-commanders"><h2 id="ssr-commanders">${esc(t('area.commanders'))}</h2><div class="officer-list">${d.commanders.map((c) => officerCard(c)).join('')}</div></section>`
    : ''
  const html = `<main id="main" tabindex="-1" class="resident-main ssr-page"><h1>${esc(area.name)}<span class="dir-subtitle">${esc(t('area.of', { unit: unit.name }))}</span></h1>${area.address ? `<p class="dir-lead">${esc(area.address)}</p>` : ''}<p class="area-actions"><a class="btn" href="/ask?area=${encodeURIComponent(area.slug)}">${esc(t('area.ask'))}</a></p><section aria-labelledby="ssr-officer"><h2 id="ssr-officer">${esc(t('area.officer'))}</h2>${officer}</section>${commanders}</main>`
  return { title: `${area.name} — ${unit.name}`, html }
}

/** A procedure page (/procedures/:id) as HTML: the resident text in the page's language, no staff data. */
export function renderProcedurePage(p: TProcedureDetail, locale: Locale): { title: string; html: string } {
  const t = (k: string) => translate(locale, `page.procedure.${k}`)
  const en = locale === 'en'
  const pick = (vi: string, eng: string | null) => (en && eng ? eng : vi)
  const pickList = (vi: string[], eng: string[]) => (en && eng.length === vi.length && eng.length ? eng : vi)
  const name = pick(p.nameVi, p.nameEn)
  const links = p.online.links.length
    ? `<ul class="proc-links">${p.online.links.map((l) => `<li><a href="${esc(l.url)}" rel="noopener noreferrer">${esc(pick(l.labelVi, l.labelEn))}</a></li>`).join('')}</ul>`
    : ''
  const related = p.related.length
    ? section(
        'related',
        t('related'),
        `<ul class="proc-links">${p.related.map((r) => `<li><a href="/procedures/${esc(r.id)}">${esc(pick(r.nameVi, r.nameEn))}</a></li>`).join('')}</ul>`,
      )
    : ''
  const note = p.online.note ? `<p>${esc(pick(p.online.note, p.online.noteEn))}</p>` : ''
  const html = `<main id="main" tabindex="-1" class="resident-main ssr-page"><article class="proc-page" lang="${locale}"><p><a class="proc-back" href="/procedures">${esc(t('back'))}</a></p><h1>${esc(name)}</h1>${section('where', t('where'), `<p>${esc(pick(p.handlingBody, p.handlingBodyEn))}</p>`)}${section('documents', t('documents'), list(pickList(p.requiredDocuments, p.requiredDocumentsEn)))}${section('time', t('time'), `<p>${esc(pick(p.timeLimit, p.timeLimitEn))}</p>`)}${section('fee', t('fee'), `<p>${esc(pick(p.fee, p.feeEn))}</p>`)}${section('online', t('online'), `${list(pickList(p.online.channels, p.online.channelsEn))}${note}${links}`)}${section('law', t('law'), list(p.legalBasis, 'proc-docs proc-docs--small'))}${related}<p class="proc-ask"><a class="btn" href="/ask">${esc(t('ask'))}</a></p></article></main>`
  return { title: name, html }
}
