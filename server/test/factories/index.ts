// Factories build whatever parents are missing. The demo seed and the browser tests use them too.
export * from './organisation.factory'
export * from './sequence'
export * from './user.factory'
