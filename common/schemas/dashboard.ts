import { z } from 'zod'
import { conversationLabelValues } from './messaging'
import { reportKindValues } from './movements'

/**
 * The kinds of interaction of S8, in the order the dashboard shows them: the conversation labels,
 * so that a labelled conversation, a tip and an alert answer count under one kind
 * (definitions: docs/dashboard-definitions.md).
 */
export const interactionKindValues = conversationLabelValues
export type TInteractionKind = (typeof interactionKindValues)[number]
export const interactionSourceValues = ['conversation', 'tip', 'alert_answer', 'help_response'] as const
export const dashboardFigureValues = [
  'interactions',
  'responses',
  'open_cases',
  'closed_cases',
  'alerts',
  'households',
  'movements',
] as const
/** Residence reports on the dashboard: who arrives (to stay, rent or lodge) and who leaves. */
export const movementDirectionOf = {
  stay: 'arrival',
  tenant_in: 'arrival',
  guest: 'arrival',
  tenant_out: 'departure',
  absence: 'departure',
} as const satisfies Record<(typeof reportKindValues)[number], 'arrival' | 'departure'>
export const caseAgeValues = ['0_7', '8_30', '31_90', 'over_90'] as const

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'i18n:dashboard.date_invalid' })

export const ZDashboardQuery = z.object({
  unitId: z.uuid().optional(),
  /** First day of the period, in Vietnam's calendar. */
  from: ZDate,
  /** Last day of the period (included). */
  to: ZDate,
})
export type TDashboardQuery = z.infer<typeof ZDashboardQuery>

export const ZRecordsQuery = ZDashboardQuery.extend({
  figure: z.enum(dashboardFigureValues),
  kind: z.enum(interactionKindValues).optional(),
  source: z.enum(interactionSourceValues).optional(),
  childId: z.uuid().optional(),
  officerId: z.uuid().optional(),
  status: z.string().max(40).optional(),
  age: z.enum(caseAgeValues).optional(),
  outcome: z.string().max(40).optional(),
  overdue: z.enum(['true']).optional(),
  /** Movements: one kind of residence report. */
  reportKind: z.enum(reportKindValues).optional(),
})
export type TRecordsQuery = z.infer<typeof ZRecordsQuery>

const ZCount = z.object({ current: z.number().int(), previous: z.number().int() })
const ZNamed = z.object({ id: z.string().nullable(), name: z.string() })
const ZTimes = z.object({
  count: z.number().int(),
  answered: z.number().int(),
  firstResponseMedian: z.number().nullable(),
  firstResponseP90: z.number().nullable(),
  resolutionMedian: z.number().nullable(),
  resolutionP90: z.number().nullable(),
  overdue: z.number().int(),
})

export const ZDashboard = z.object({
  unit: z.object({ id: z.string(), name: z.string(), level: z.string() }),
  period: z.object({ from: z.string(), to: z.string(), previousFrom: z.string(), previousTo: z.string() }),
  generatedAt: z.string(),
  /**
   * The unit and period of the lists behind the figures, as a query string for
   * /api/dashboard/records (and the page /staff/dashboard/records) to which each figure adds its
   * filter; null when the viewer may see the figures but not the records (administrators).
   */
  listsQuery: z.string().nullable(),
  /** The unit's first-response target in minutes. */
  targetMinutes: z.number().int(),
  /** "area" for a ward (its residential groups), "ward" for a province. */
  childLevel: z.string(),
  interactions: z.object({
    total: ZCount,
    byKind: z.array(ZCount.extend({ kind: z.enum(interactionKindValues) })),
    bySource: z.array(ZCount.extend({ source: z.enum(interactionSourceValues) })),
    byChild: z.array(ZCount.extend(ZNamed.shape)),
    byOfficer: z.array(ZCount.extend(ZNamed.shape)),
  }),
  responseTimes: z.object({
    overall: ZTimes,
    previous: ZTimes,
    byChild: z.array(ZTimes.extend(ZNamed.shape)),
    byOfficer: z.array(ZTimes.extend(ZNamed.shape)),
  }),
  /** When the households-reached roll-up was last rebuilt (every 15 minutes); null before the first. */
  reachAsOf: z.string().nullable(),
  reach: z.array(
    ZNamed.extend({
      households: z.number().int(),
      reached: z.number().int(),
      reachedBefore: z.number().int(),
    }),
  ),
  groups: z.object({
    byKind: z.array(
      z.object({
        kind: z.string(),
        groups: z.number().int(),
        members: z.number().int(),
        messages: ZCount,
        moderation: ZCount,
      }),
    ),
  }),
  cases: z.object({
    opened: ZCount,
    openByStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
    openByAge: z.array(z.object({ age: z.enum(caseAgeValues), count: z.number().int() })),
    closedByOutcome: z.array(
      z.object({ outcome: z.string(), current: z.number().int(), previous: z.number().int() }),
    ),
  }),
  alerts: z.object({
    issued: ZCount,
    totals: z.object({
      targeted: z.number().int(),
      delivered: z.number().int(),
      read: z.number().int(),
      shared: z.number().int(),
      answered: z.number().int(),
    }),
    list: z.array(
      z.object({
        id: z.string(),
        headline: z.string(),
        kind: z.string(),
        publishedAt: z.string(),
        targeted: z.number().int(),
        delivered: z.number().int(),
        read: z.number().int(),
        shared: z.number().int(),
        answered: z.number().int(),
      }),
    ),
  }),
  /** Residence reports sent in the period (and the previous one), by kind and by child unit. */
  movements: z.object({
    total: ZCount,
    byKind: z.array(
      ZCount.extend({
        kind: z.enum(reportKindValues),
        direction: z.enum(['arrival', 'departure']),
        confirmed: z.number().int(),
      }),
    ),
    byChild: z.array(ZCount.extend(ZNamed.shape)),
  }),
  /** Interactions of the period by weekday (0 = Sunday) and hour, Vietnam time. */
  busiestHours: z.array(
    z.object({ weekday: z.number().int(), hour: z.number().int(), count: z.number().int() }),
  ),
})
export type TDashboard = z.infer<typeof ZDashboard>

export const ZDashboardRecord = z.object({
  source: z.string(),
  id: z.string(),
  title: z.string(),
  kind: z.string().nullable(),
  areaName: z.string().nullable(),
  officerName: z.string().nullable(),
  status: z.string().nullable(),
  createdAt: z.string(),
  firstResponseAt: z.string().nullable(),
  /** The record's own page in the staff console. */
  href: z.string().nullable(),
})
export const ZDashboardRecords = z.object({ items: z.array(ZDashboardRecord), truncated: z.boolean() })
export type TDashboardRecords = z.infer<typeof ZDashboardRecords>

export const ZDashboardUnits = z.array(z.object({ id: z.string(), name: z.string(), level: z.string() }))
