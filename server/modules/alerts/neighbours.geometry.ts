/**
 * Neighbours derived from unit boundaries when a unit has no configured neighbours: two polygons
 * are neighbours when they touch or overlap (an edge crosses, or a vertex lies inside or on the
 * other). Coordinates are GeoJSON [lng, lat]; ward boundaries are small enough to treat as planar.
 */
type Pt = [number, number]

/** Outer rings of a GeoJSON Polygon or MultiPolygon; anything else has no boundary. */
export function ringsOf(geometry: unknown): Pt[][] {
  if (!geometry || typeof geometry !== 'object') return []
  const g = geometry as { type?: string; coordinates?: unknown }
  const isRing = (r: unknown): r is Pt[] =>
    Array.isArray(r) &&
    r.length >= 4 &&
    r.every((p) => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number')
  if (g.type === 'Polygon' && Array.isArray(g.coordinates) && isRing(g.coordinates[0]))
    return [g.coordinates[0]]
  if (g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
    return g.coordinates.flatMap((poly: unknown) =>
      Array.isArray(poly) && isRing(poly[0]) ? [poly[0] as Pt[]] : [],
    )
  }
  return []
}

const EPS = 1e-9

function orient(a: Pt, b: Pt, c: Pt): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
  return Math.abs(v) < EPS ? 0 : v > 0 ? 1 : -1
}

const onSegment = (a: Pt, b: Pt, p: Pt) =>
  Math.min(a[0], b[0]) - EPS <= p[0] &&
  p[0] <= Math.max(a[0], b[0]) + EPS &&
  Math.min(a[1], b[1]) - EPS <= p[1] &&
  p[1] <= Math.max(a[1], b[1]) + EPS

/** Segments ab and cd share at least one point (touching counts). */
export function segmentsTouch(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o1 = orient(a, b, c)
  const o2 = orient(a, b, d)
  const o3 = orient(c, d, a)
  const o4 = orient(c, d, b)
  if (o1 !== o2 && o3 !== o4) return true
  return (
    (o1 === 0 && onSegment(a, b, c)) ||
    (o2 === 0 && onSegment(a, b, d)) ||
    (o3 === 0 && onSegment(c, d, a)) ||
    (o4 === 0 && onSegment(c, d, b))
  )
}

/** Ray casting; points on the boundary are caught by segmentsTouch. */
export function pointInRing(p: Pt, ring: Pt[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

function bbox(ring: Pt[]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of ring) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX, minY, maxX, maxY]
}

export function ringsTouch(r1: Pt[], r2: Pt[]): boolean {
  const [a0, a1, a2, a3] = bbox(r1)
  const [b0, b1, b2, b3] = bbox(r2)
  if (a2 < b0 - EPS || b2 < a0 - EPS || a3 < b1 - EPS || b3 < a1 - EPS) return false
  for (let i = 0; i < r1.length - 1; i++) {
    for (let j = 0; j < r2.length - 1; j++) {
      if (segmentsTouch(r1[i]!, r1[i + 1]!, r2[j]!, r2[j + 1]!)) return true
    }
  }
  return pointInRing(r1[0]!, r2) || pointInRing(r2[0]!, r1)
}

/** True when the two unit geometries touch or overlap. */
export function geometriesTouch(g1: unknown, g2: unknown): boolean {
  const a = ringsOf(g1)
  const b = ringsOf(g2)
  return a.some((r1) => b.some((r2) => ringsTouch(r1, r2)))
}
