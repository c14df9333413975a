import { describe, expect, it } from 'vitest'
import { geometriesTouch, ringsOf } from './neighbours.geometry'

const square = (x: number, y: number, size = 1) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
})

describe('neighbours from boundaries', () => {
  it('wards sharing an edge or a corner are neighbours; wards apart are not', () => {
    expect(geometriesTouch(square(0, 0), square(1, 0))).toBe(true)
    expect(geometriesTouch(square(0, 0), square(1, 1))).toBe(true)
    expect(geometriesTouch(square(0, 0), square(0.5, 0.5))).toBe(true)
    expect(geometriesTouch(square(0, 0), square(1.01, 0))).toBe(false)
    expect(geometriesTouch(square(0, 0), square(5, 5))).toBe(false)
  })

  it('one inside the other counts; a point or missing geometry never does', () => {
    expect(geometriesTouch(square(0, 0, 10), square(4, 4))).toBe(true)
    expect(geometriesTouch({ type: 'Point', coordinates: [0, 0] }, square(0, 0))).toBe(false)
    expect(geometriesTouch(null, square(0, 0))).toBe(false)
    const multi = {
      type: 'MultiPolygon',
      coordinates: [square(10, 10).coordinates, square(0, 0).coordinates],
    }
    expect(ringsOf(multi)).toHaveLength(2)
    expect(geometriesTouch(multi, square(1, 0))).toBe(true)
  })
})
