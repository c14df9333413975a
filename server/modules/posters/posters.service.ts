import { randomInt } from 'node:crypto'
import type { Locale } from '@common/i18n/messages'
import { translate } from '@common/i18n/messages'
import type { Db } from '../../db/client'
import { notFound } from '../../lib/errors'
import type { FileStorage } from '../../storage/file-storage'
import { type AuditContext, audit } from '../audit/audit.service'
import { officerPhotosService } from '../officer-photos/officer-photos.service'
import type { PosterContent, PosterElement } from './poster-layout'
import { type PosterRow, postersRepository, type UnitRow } from './posters.repository'

/** No 0/O, 1/I/L: a code a person can read off paper and type. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const newCode = () => Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')

export interface PosterPage {
  area: UnitRow
  poster: PosterRow
  elements: PosterElement[]
}

export class PostersService {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
    private readonly storage: FileStorage,
  ) {}

  async getArea(areaId: string): Promise<UnitRow> {
    const area = await postersRepository.getUnit(this.db, areaId)
    if (area?.level !== 'residential_group') throw notFound()
    return area
  }

  async getUnit(unitId: string): Promise<UnitRow> {
    const unit = await postersRepository.getUnit(this.db, unitId)
    if (!unit) throw notFound()
    return unit
  }

  /** Reprinting keeps an area's code, so posters already on walls go on counting. */
  private async ensurePoster(area: UnitRow, ctx: AuditContext): Promise<PosterRow> {
    const existing = await postersRepository.activePosterFor(this.db, area.id)
    if (existing) return existing
    return this.db.transaction(async (tx) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const created = await postersRepository.insertPoster(tx, {
          code: newCode(),
          areaId: area.id,
          createdBy: ctx.actor?.userId ?? null,
        })
        if (created) {
          await audit.record(tx, ctx, {
            action: 'poster.create',
            entityType: 'poster',
            entityId: created.id,
            unitId: area.id,
            unitPath: area.path,
            details: { code: created.code },
          })
          return created
        }
      }
      throw new Error('could not allocate a unique poster code')
    })
  }

  private async contentFor(area: UnitRow, poster: PosterRow): Promise<PosterContent> {
    const ward = area.parentId ? await postersRepository.getUnit(this.db, area.parentId) : undefined
    const province = ward?.parentId ? await postersRepository.getUnit(this.db, ward.parentId) : undefined
    const officer = await postersRepository.currentOfficer(this.db, area.id)
    return {
      code: poster.code,
      scanUrl: `${this.publicUrl}/q/${poster.code}`,
      provinceName: province?.name ?? '',
      unitName: ward?.name ?? area.name,
      areaName: area.name,
      officer: officer
        ? {
            name: officer.name,
            phone: officer.phone,
            // Only an approved photo: the one waiting for a commander stays off the wall.
            photo: await officerPhotosService.publishedBytes(
              { db: this.db, storage: this.storage },
              officer.id,
            ),
          }
        : null,
      commanders: ward ? await postersRepository.commandersOf(this.db, ward.id) : [],
      unitPhone: ward?.phone ?? null,
    }
  }

  async pageFor(area: UnitRow, locale: Locale, ctx: AuditContext): Promise<PosterPage> {
    const poster = await this.ensurePoster(area, ctx)
    // Loaded on first print, not at start: the layout measures text with fontkit and draws the QR
    // code with qrcode, which every restart would otherwise load while clients wait to reconnect.
    const { layoutPoster } = await import('./poster-layout')
    return { area, poster, elements: layoutPoster(await this.contentFor(area, poster), locale) }
  }

  /** One page per residential group of the unit. */
  async pagesForUnit(unit: UnitRow, locale: Locale, ctx: AuditContext): Promise<PosterPage[]> {
    const areas = await postersRepository.listAreasOf(this.db, unit.id)
    const pages: PosterPage[] = []
    for (const area of areas) pages.push(await this.pageFor(area, locale, ctx))
    return pages
  }

  title(locale: Locale, name: string): string {
    return translate(locale, 'poster.title', { area: name })
  }

  /** A scan counts and lands on the area's public page; an unknown code lands on the home page. */
  async scan(code: string): Promise<string> {
    const found = await postersRepository.findByCode(this.db, code.toUpperCase())
    if (!found || found.poster.retiredAt) return '/'
    await postersRepository.recordScan(this.db, found.poster.id)
    return `/a/${found.areaSlug}?src=qr`
  }

  listForUnit(unitId: string) {
    return postersRepository.listWithScans(this.db, unitId)
  }
}
