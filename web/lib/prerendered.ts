import type { QueryClient } from '@tanstack/react-query'
import type { createBrowserRouter } from 'react-router'

type Router = ReturnType<typeof createBrowserRouter>

/**
 * A page the server sent with its content (the QR landing page, procedure pages) also carries the
 * API answer it was made from: put it in the query cache so the app's first render shows the same
 * content instead of a loading line.
 */
export function primeFromPrerender(queryClient: QueryClient): boolean {
  const el = document.getElementById('nhipcau-prerender')
  if (!el?.textContent) return false
  try {
    const { key, data } = JSON.parse(el.textContent) as { key: unknown[]; data: unknown }
    queryClient.setQueryData(key, data)
    return true
  } catch {
    return false
  } finally {
    el.remove()
  }
}

/** Resolves once the router has loaded the first page's code, so the server's HTML is never replaced by a blank. */
export function whenRouterReady(router: Router): Promise<void> {
  if (router.state.initialized) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = router.subscribe((state) => {
      if (!state.initialized) return
      stop()
      resolve()
    })
  })
}
