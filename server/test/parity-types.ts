/**
 * The shapes every module's part of the scope parity test (server/test/scope-parity.test.ts)
 * shares: which ward a seeded record belongs to, how a list is read, how it is compared.
 */
export type Ward = 'home' | 'neighbour'

/** The ids a list answered with, among the seeded records; null when the list itself was refused. */
export type Listed = (role: string, url: string, ids: (body: never) => string[]) => Promise<string[] | null>

/** Asserts a caller got exactly `allowed`, and never a record of the other ward. */
export type Expect = (role: string, got: string[] | null, allowed: string[]) => void
