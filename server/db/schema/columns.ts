import { timestamp, uuid } from 'drizzle-orm/pg-core'

/** Shared column builders so every table names and types its keys and times alike. */
export const id = () => uuid('id').primaryKey().defaultRandom()
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
