// Factories build whatever parents are missing. The demo seed and the browser tests use them too.

export * from './alerts.factory'
export * from './channel-contacts.factory'
export * from './channels.factory'
export * from './messaging.factory'
export * from './movements.factory'
export * from './organisation.factory'
export * from './procedures.factory'
export * from './scam-numbers.factory'
export * from './sequence'
export * from './tips.factory'
export * from './user.factory'
