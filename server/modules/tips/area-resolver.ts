import { sql } from 'drizzle-orm'
import type { DbOrTx } from '../../db/client'
import { queryRows } from '../../db/query'
import { invalidField } from '../../lib/errors'

export interface AreaRef {
  id: string
  path: string
  name: string
  /** The unit whose duty queue takes the area's tips (the ward); the area itself at the top. */
  unitId: string
}

type Position = [number, number]
interface Geometry {
  type: string
  coordinates: unknown
}

const AREA_LEVEL = 'residential_group'
/** A pin farther than this from every area's point or outline falls back to the chosen area. */
const NEAREST_MAX_METRES = 3000

/** Haversine distance in metres between two [lng, lat] positions. */
export function distanceMetres(a: Position, b: Position): number {
  const rad = Math.PI / 180
  const dLat = (b[1] - a[1]) * rad
  const dLng = (b[0] - a[0]) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h))
}

/** Ray casting on a linear ring of [lng, lat]. */
function inRing(p: Position, ring: Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

const inPolygon = (p: Position, rings: Position[][]) =>
  !!rings[0] && inRing(p, rings[0]) && !rings.slice(1).some((hole) => inRing(p, hole))

function polygonsOf(g: Geometry): Position[][][] {
  if (g.type === 'Polygon') return [g.coordinates as Position[][]]
  if (g.type === 'MultiPolygon') return g.coordinates as Position[][][]
  return []
}

/** Distance from a point to a geometry: 0 inside a polygon, else to its nearest vertex or the point. */
export function distanceToGeometry(p: Position, g: Geometry): number {
  if (g.type === 'Point') return distanceMetres(p, g.coordinates as Position)
  const polygons = polygonsOf(g)
  if (polygons.some((rings) => inPolygon(p, rings))) return 0
  let best = Number.POSITIVE_INFINITY
  for (const rings of polygons) for (const v of rings[0] ?? []) best = Math.min(best, distanceMetres(p, v))
  return best
}

const toRef = (r: { id: string; path: string; name: string; parent_id: string | null }): AreaRef => ({
  id: r.id,
  path: r.path,
  name: r.name,
  unitId: r.parent_id ?? r.id,
})

export async function getArea(
  db: DbOrTx,
  id: string,
  by: 'id' | 'slug' = 'id',
): Promise<AreaRef | undefined> {
  const [row] = await queryRows<{ id: string; path: string; name: string; parent_id: string | null }>(
    db,
    sql`select id, path, name, parent_id from units
        where ${by === 'id' ? sql`id = ${id}` : sql`slug = ${id}`} and level = ${AREA_LEVEL}`,
  )
  return row ? toRef(row) : undefined
}

/**
 * The area a tip belongs to: from the pin when areas have geometry (the polygon containing it,
 * else the nearest point or outline within 3 km), else the area chosen on the page, else the
 * sender's own area. A tip with none of these is refused, naming the field.
 */
export async function resolveArea(
  db: DbOrTx,
  input: {
    lat?: number | undefined
    lng?: number | undefined
    areaId?: string | undefined
    areaSlug?: string | undefined
    fallbackAreaId?: string | null
  },
): Promise<AreaRef> {
  if (input.lat !== undefined && input.lng !== undefined) {
    const point: Position = [input.lng, input.lat]
    const rows = await queryRows<{
      id: string
      path: string
      name: string
      parent_id: string | null
      geometry: Geometry
    }>(
      db,
      sql`select id, path, name, parent_id, geometry from units
          where level = ${AREA_LEVEL} and geometry is not null and (valid_to is null or valid_to > now())`,
    )
    let best: { row: (typeof rows)[number]; d: number } | undefined
    for (const row of rows) {
      const d = distanceToGeometry(point, row.geometry)
      if (!best || d < best.d) best = { row, d }
      if (d === 0) break
    }
    if (best && best.d <= NEAREST_MAX_METRES) return toRef(best.row)
  }
  if (input.areaSlug) {
    const area = await getArea(db, input.areaSlug, 'slug')
    if (area) return area
    throw invalidField('areaSlug', 'invalid', 'tips.area_invalid')
  }
  for (const id of [input.areaId, input.fallbackAreaId]) {
    if (!id) continue
    const area = await getArea(db, id)
    if (area) return area
    if (id === input.areaId) throw invalidField('areaId', 'invalid', 'tips.area_invalid')
  }
  throw invalidField('areaId', 'required', 'tips.area_required')
}
