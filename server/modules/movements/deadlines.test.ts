import { describe, expect, it } from 'vitest'
import { reportDueAt, vnInstant, vnToday } from './deadlines'

describe('the law’s deadlines for a report', () => {
  it('a stay must be reported before 23:00 (Việt Nam time) of its first day', () => {
    const due = reportDueAt({ kind: 'stay', fromDate: '2026-12-04', arrivalTime: '19:30', isForeign: false })
    expect(due?.toISOString()).toBe('2026-12-04T16:00:00.000Z')
  })
  it('a guest arriving after 23:00 may be reported until 08:00 the next morning', () => {
    const due = reportDueAt({ kind: 'guest', fromDate: '2026-12-04', arrivalTime: '23:40', isForeign: false })
    expect(due?.toISOString()).toBe('2026-12-05T01:00:00.000Z')
  })
  it('a foreign guest within 12 hours of arrival', () => {
    const due = reportDueAt({ kind: 'guest', fromDate: '2026-12-04', arrivalTime: '09:00', isForeign: true })
    expect(due?.toISOString()).toBe('2026-12-04T14:00:00.000Z')
  })
  it('absences and tenants leaving have no sending deadline', () => {
    expect(reportDueAt({ kind: 'absence', fromDate: '2026-12-04', isForeign: false })).toBeNull()
    expect(reportDueAt({ kind: 'tenant_out', fromDate: '2026-12-04', isForeign: false })).toBeNull()
  })
  it('local dates are Việt Nam’s, not the server’s', () => {
    expect(vnInstant('2026-12-04', '06:00').toISOString()).toBe('2026-12-03T23:00:00.000Z')
    expect(vnToday(new Date('2026-12-04T18:30:00Z'))).toBe('2026-12-05')
  })
})
