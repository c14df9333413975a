import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { createMemoryRouter, RouterProvider } from 'react-router'

/** Renders a page at `path` (matched against `route`) with a fresh query cache and router. */
export function renderPage(element: ReactElement, opts: { path?: string; route?: string } = {}) {
  const path = opts.path ?? '/'
  const route = opts.route ?? path
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  const router = createMemoryRouter(
    [
      { path: route, element },
      { path: '*', element: null },
    ],
    {
      initialEntries: [path],
    },
  )
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  )
  return { ...result, router, queryClient }
}
