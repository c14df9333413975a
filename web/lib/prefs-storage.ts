/** Keys of the per-device preferences kept in localStorage. */
export const PREF_KEYS = {
  lang: 'nhipcau.lang',
  largeText: 'nhipcau.largeText',
} as const

type PrefKey = (typeof PREF_KEYS)[keyof typeof PREF_KEYS]

// localStorage can be missing (server-side, tests) or throw (private mode, disabled storage):
// a preference that cannot be read or saved must never break the page.
export function readPref(key: PrefKey): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null
  } catch {
    return null
  }
}

export function writePref(key: PrefKey, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value)
  } catch {
    // Not saved: the choice still applies until the page is closed.
  }
}
