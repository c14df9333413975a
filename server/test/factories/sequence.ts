let counter = 0
/** A process-wide counter so factory-built names, slugs and phones never collide within a test run. */
export const nextSeq = (): number => ++counter
/** A unique suffix across processes too (parallel test files share one PostgreSQL server). */
export const uniqueSuffix = (): string => `${process.pid.toString(36)}${nextSeq().toString(36)}`
