// Every table of every module; drizzle-kit and the typed client read this file.
export * from './jobs'
export * from './organisation'
