import type { TSystemHealth } from '@common/schemas/health'
import type { SystemFacts } from './system-health.service'

/** The health page's answer: times as ISO strings, uptime in whole seconds. */
export function presentSystemHealth(facts: SystemFacts): TSystemHealth {
  return {
    ...facts,
    checkedAt: facts.checkedAt.toISOString(),
    uptimeSeconds: Math.floor(facts.uptimeSeconds),
  }
}
