import type { postersRepository } from './posters.repository'

type PosterListRow = Awaited<ReturnType<typeof postersRepository.listWithScans>>[number]

export const presentPosterList = (rows: PosterListRow[], publicUrl: string) =>
  rows.map((r) => ({
    area: { id: r.areaId, name: r.areaName, slug: r.areaSlug },
    poster: r.code
      ? {
          code: r.code,
          scanUrl: `${publicUrl}/q/${r.code}`,
          createdAt: r.createdAt!.toISOString(),
          scans: Number(r.scans),
        }
      : null,
  }))
