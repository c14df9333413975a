import { type Locale, translate } from '@common/i18n/messages'
import type { TAlertView } from '@common/schemas/alerts'
import { type CapMessageInput, capAlertElement, escapeXml } from './cap-xml'

const esc = escapeXml

const dateFmt = (locale: Locale) =>
  new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })

const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:40rem;margin:0 auto;padding:1rem}header{font-weight:600;color:#1f3a5f}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;font-weight:700;color:#fff;background:#b3261e}
.badge--ended{background:#4a5568}h1{font-size:1.45rem;line-height:1.3;margin:.6rem 0}
img{max-width:100%;height:auto;border-radius:.4rem;display:block}p{margin:.6rem 0}
.box{background:#fff;border:1px solid #d5d9e0;border-radius:.5rem;padding:.8rem 1rem;margin:.8rem 0}
a{color:#0b57d0}.btn{display:inline-block;min-height:44px;padding:.6rem 1rem;border-radius:.4rem;background:#1f3a5f;color:#fff;text-decoration:none;font-weight:600;margin:.3rem .3rem .3rem 0}
small{color:#4a5568}`

const paragraphs = (text: string) =>
  text
    .split(/\n{2,}/)
    .filter((p) => p.trim())
    .map((p) => `<p>${esc(p).replace(/\n/g, '<br>')}</p>`)
    .join('')

/**
 * The public page of one alert: one small HTML document, no script, readable on a cheap phone,
 * with Open Graph tags so a link pasted into Zalo or Facebook shows the headline and photo.
 */
export function renderSharePage(a: TAlertView, opts: { locale: Locale; publicUrl: string }): string {
  const t = (key: string, vars?: Record<string, string | number>) => translate(opts.locale, key, vars)
  const url = `${opts.publicUrl}${a.shareUrl}`
  const photo = a.photos[0]
  const image = photo ? `${opts.publicUrl}${photo.url}` : null
  const kind = t(`alerts.kind.${a.kind}`)
  const description = (a.outcome ?? a.description).replace(/\s+/g, ' ').slice(0, 200)
  const ended = !a.isLive
  const status =
    a.state === 'closed'
      ? t('alerts.share.closed')
      : a.state === 'cancelled'
        ? t('alerts.share.cancelled')
        : ended
          ? t('alerts.share.expired')
          : kind
  const published = a.publishedAt ? dateFmt(opts.locale).format(new Date(a.publishedAt)) : ''
  const meta = [
    ['og:type', 'article'],
    ['og:site_name', 'Nhịp Cầu'],
    ['og:title', `${kind}: ${a.headline}`],
    ['og:description', description],
    ['og:url', url],
    ['og:locale', opts.locale === 'vi' ? 'vi_VN' : 'en_GB'],
    ...(image
      ? [
          ['og:image', image],
          ['og:image:alt', photo?.description || a.headline],
        ]
      : []),
  ]
  return `<!doctype html>
<html lang="${opts.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${kind}: ${a.headline}`)} — Nhịp Cầu</title>
<meta name="description" content="${esc(description)}">
${meta.map(([p, c]) => `<meta property="${p}" content="${esc(c ?? '')}">`).join('\n')}
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<link rel="canonical" href="${esc(url)}">
<link rel="alternate" type="application/cap+xml" href="${esc(`${opts.publicUrl}/api/alerts/${a.id}/cap.xml`)}">
<style>${CSS}</style>
</head>
<body>
<main>
<header>${esc(t('alerts.share.from', { unit: a.issuingUnit.name }))}</header>
<p><span class="badge${ended ? ' badge--ended' : ''}">${esc(status)}</span></p>
<h1>${esc(a.headline)}</h1>
${a.outcome ? `<div class="box"><strong>${esc(a.outcome)}</strong></div>` : ''}
${photo ? `<a href="${esc(photo.url)}"><img src="${esc(photo.thumbUrl)}" alt="${esc(photo.description || a.headline)}" width="480"></a>` : ''}
${paragraphs(a.description)}
${a.instruction ? `<div class="box"><strong>${esc(t('alerts.share.instruction'))}</strong>${paragraphs(a.instruction)}</div>` : ''}
${a.contact ? `<p><strong>${esc(t('alerts.share.contact'))}</strong> ${esc(a.contact)}</p>` : ''}
${a.kind === 'scam_warning' ? `<p><a class="btn" href="/check-caller">${esc(t('alerts.share.checkCaller'))}</a></p>` : ''}
<p><small>${esc(t('alerts.share.published', { when: published }))} · ${esc(a.targets.map((x) => x.name).join(', '))}</small></p>
<p><a class="btn" href="/alerts/${esc(a.id)}">${esc(t('alerts.share.open'))}</a>
<a class="btn" href="https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(url)}">Facebook</a>
<a class="btn" href="https://zalo.me/share?u=${encodeURIComponent(url)}">Zalo</a></p>
</main>
</body>
</html>`
}

export interface FeedEntry {
  alert: TAlertView
  cap: CapMessageInput
}

/** Atom (RFC 4287); each entry carries the alert's latest CAP 1.2 message inline. */
export function renderAtomFeed(opts: {
  title: string
  selfUrl: string
  publicUrl: string
  authorName: string
  entries: FeedEntry[]
}): string {
  const host = new URL(opts.publicUrl).hostname
  const updated = opts.entries[0]?.cap.sent ?? new Date(0)
  const entries = opts.entries
    .map(({ alert: a, cap }) => {
      const share = `${opts.publicUrl}${a.shareUrl}`
      return `  <entry>
    <id>tag:${esc(host)},2026:alerts/${a.id}/${a.version}</id>
    <title>${esc(a.headline)}</title>
    <updated>${cap.sent.toISOString()}</updated>
    <published>${esc(a.publishedAt ?? cap.sent.toISOString())}</published>
    <author><name>${esc(a.issuingUnit.name)}</name></author>
    <category term="${esc(a.kind)}"/>
    <summary>${esc((a.outcome ?? a.description).slice(0, 300))}</summary>
    <link rel="alternate" type="text/html" href="${esc(share)}"/>
    <link rel="related" type="application/cap+xml" href="${esc(`${opts.publicUrl}/api/alerts/${a.id}/cap.xml`)}"/>
    <content type="application/cap+xml">
${capAlertElement(cap, '      ')}    </content>
  </entry>`
    })
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">
  <id>${esc(opts.selfUrl)}</id>
  <title>${esc(opts.title)}</title>
  <updated>${updated.toISOString()}</updated>
  <author><name>${esc(opts.authorName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${esc(opts.selfUrl)}"/>
${entries}
</feed>
`
}
