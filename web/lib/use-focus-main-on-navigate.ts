import { useEffect, useRef } from 'react'
import { useLocation } from 'react-router'

/**
 * After a client-side navigation, moves focus to <main id="main"> so that screen-reader and
 * keyboard users start at the new page's content, as they would after a full page load.
 */
export function useFocusMainOnNavigate(): void {
  const { pathname } = useLocation()
  const previous = useRef(pathname)
  useEffect(() => {
    if (previous.current === pathname) return // first render, or same page
    previous.current = pathname
    document.getElementById('main')?.focus({ preventScroll: true })
  }, [pathname])
}
