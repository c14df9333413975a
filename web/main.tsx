// Started by boot.ts (which also loads the styles). Side effects before the first render: language (and <html lang>) and large-text mode.
import { languageReady } from './i18n'
import './lib/large-text'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router/dom'
import { createQueryClient } from './api/query-client'
import { primeFromPrerender, whenRouterReady } from './lib/prerendered'
import { router } from './routes'

const queryClient = createQueryClient()
const container = document.getElementById('root')!

function mount() {
  createRoot(container).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </StrictMode>,
  )
}

// A page the server rendered stays on screen until the app can show the same page.
// A reader who chose English waits for the English file (one small request) rather than seeing Vietnamese flash.
const prerendered = !!container.dataset.prerendered && primeFromPrerender(queryClient)
void Promise.all([languageReady, prerendered ? whenRouterReady(router) : null]).then(mount)
