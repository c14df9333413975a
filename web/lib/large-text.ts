import { useSyncExternalStore } from 'react'
import { PREF_KEYS, readPref, writePref } from './prefs-storage'

// Large-text mode sets data-text-size="large" on <html>; every size in the CSS is in rem,
// so the whole interface scales with the root font size (see styles/tokens.css).
const listeners = new Set<() => void>()
let largeText = readPref(PREF_KEYS.largeText) === '1'

function applyToDocument(): void {
  if (typeof document === 'undefined') return
  if (largeText) document.documentElement.dataset.textSize = 'large'
  else delete document.documentElement.dataset.textSize
}
applyToDocument()

export function isLargeText(): boolean {
  return largeText
}

/** Turns large text on or off for this device. (The account preference is saved separately.) */
export function setLargeText(on: boolean): void {
  largeText = on
  writePref(PREF_KEYS.largeText, on ? '1' : '0')
  applyToDocument()
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useLargeText(): [boolean, (on: boolean) => void] {
  return [useSyncExternalStore(subscribe, isLargeText, isLargeText), setLargeText]
}
