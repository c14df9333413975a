import { createBrowserRouter, type RouteObject } from 'react-router'
import { NotFoundPage } from './components/NotFoundPage'
import { type PageKey, PlaceholderPage } from './components/PlaceholderPage'
import { RouteErrorPage } from './components/RouteErrorPage'
import { HomePage } from './features/home/HomePage'
import { ResidentLayout } from './layouts/ResidentLayout'
import { StaffLayout } from './layouts/StaffLayout'

const soon = (path: string, page: PageKey, homeHref?: string): RouteObject => ({
  path,
  element: <PlaceholderPage page={page} homeHref={homeHref} />,
})

// Pathless children carry the errorElement so that an error renders inside the layout.
export const routes: RouteObject[] = [
  {
    element: <ResidentLayout />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          soon('ask', 'ask'),
          soon('tips/new', 'tipNew'),
          soon('procedures', 'procedures'),
          soon('directory', 'directory'),
          soon('check-caller', 'checkCaller'),
          soon('sign-in', 'signIn'),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
  {
    path: 'staff',
    element: <StaffLayout />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <PlaceholderPage page="staffInbox" homeHref="/staff" /> },
          soon('tips', 'staffTips', '/staff'),
          soon('cases', 'staffCases', '/staff'),
          soon('alerts', 'staffAlerts', '/staff'),
          soon('procedures', 'staffProcedures', '/staff'),
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]

export const router = createBrowserRouter(routes)
