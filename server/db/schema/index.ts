// Every table of every module; drizzle-kit and the typed client read this file.

export * from './alerts'
export * from './audit'
export * from './auth'
export * from './hierarchy'
export * from './jobs'
export * from './messaging'
export * from './movements'
export * from './notifications'
export * from './organisation'
export * from './posters'
export * from './procedures'
export * from './tips'
