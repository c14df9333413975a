import { createBrowserRouter, type RouteObject } from 'react-router'
import { NotFoundPage } from './components/NotFoundPage'
import { RouteErrorPage } from './components/RouteErrorPage'
import { MePage } from './features/account/MePage'
import { AlertPage } from './features/alerts/AlertPage'
import { ComposeAlertPage } from './features/alerts/ComposeAlertPage'
import { ResidentAlertsPage } from './features/alerts/ResidentAlertsPage'
import { StaffAlertPage } from './features/alerts/StaffAlertPage'
import { StaffAlertsPage } from './features/alerts/StaffAlertsPage'
import { ResidentSignInPage } from './features/auth/ResidentSignInPage'
import { StaffSignInPage } from './features/auth/StaffSignInPage'
import { AreaPage } from './features/directory/AreaPage'
import { CheckCallerPage } from './features/directory/CheckCallerPage'
import { DirectoryPage } from './features/directory/DirectoryPage'
import { UnitPage } from './features/directory/UnitPage'
import { HomePage } from './features/home/HomePage'
import { AskPage } from './features/messaging/AskPage'
import { GroupJoinPage, GroupPage, GroupsPage } from './features/messaging/GroupPage'
import { InboxPage } from './features/messaging/InboxPage'
import { StaffAreaPage } from './features/organisation/StaffAreaPage'
import { StaffUnitPage } from './features/organisation/StaffUnitPage'
import { StaffUnitsPage } from './features/organisation/StaffUnitsPage'
import { StaffPostersPage } from './features/posters/StaffPostersPage'
import { ProcedurePage } from './features/procedures/ProcedurePage'
import { ProceduresPage } from './features/procedures/ProceduresPage'
import { StaffProcedurePage } from './features/procedures/StaffProcedurePage'
import { StaffProceduresPage } from './features/procedures/StaffProceduresPage'
import { HelpRequestPage, MyHelpRequestsPage } from './features/tips/HelpRequestPages'
import { MyTipPage, MyTipsPage, TipCodePage } from './features/tips/ResidentTipPages'
import { StaffCasePage, StaffCasesPage } from './features/tips/StaffCasePage'
import { StaffMapPage } from './features/tips/StaffMapPage'
import { StaffTipPage, StaffTipsPage } from './features/tips/StaffTipsPages'
import { TipNewPage } from './features/tips/TipNewPage'
import { ResidentLayout } from './layouts/ResidentLayout'
import { StaffLayout } from './layouts/StaffLayout'

// Pathless children carry the errorElement so that an error renders inside the layout.
export const routes: RouteObject[] = [
  {
    element: <ResidentLayout />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'ask', element: <AskPage /> },
          { path: 'groups', element: <GroupsPage /> },
          { path: 'groups/join/:code', element: <GroupJoinPage /> },
          { path: 'groups/:id', element: <GroupPage /> },
          { path: 'tips/new', element: <TipNewPage /> },
          { path: 'tips/mine', element: <MyTipsPage /> },
          { path: 'tips/mine/:id', element: <MyTipPage /> },
          { path: 'tips/code', element: <TipCodePage /> },
          { path: 'help', element: <MyHelpRequestsPage /> },
          { path: 'help/:id', element: <HelpRequestPage /> },
          { path: 'procedures', element: <ProceduresPage /> },
          { path: 'procedures/:id', element: <ProcedurePage /> },
          { path: 'directory', element: <DirectoryPage /> },
          { path: 'u/:slug', element: <UnitPage /> },
          { path: 'a/:slug', element: <AreaPage /> },
          { path: 'check-caller', element: <CheckCallerPage /> },
          { path: 'sign-in', element: <ResidentSignInPage /> },
          { path: 'staff/sign-in', element: <StaffSignInPage /> },
          { path: 'me', element: <MePage /> },
          { path: 'alerts', element: <ResidentAlertsPage /> },
          { path: 'alerts/:id', element: <AlertPage /> },
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
          { index: true, element: <InboxPage /> },
          { path: 'inbox', element: <InboxPage /> },
          { path: 'inbox/:id', element: <InboxPage /> },
          { path: 'tips', element: <StaffTipsPage /> },
          { path: 'tips/:id', element: <StaffTipPage /> },
          { path: 'cases', element: <StaffCasesPage /> },
          { path: 'cases/:id', element: <StaffCasePage /> },
          { path: 'map', element: <StaffMapPage /> },
          { path: 'alerts', element: <StaffAlertsPage /> },
          { path: 'alerts/new', element: <ComposeAlertPage /> },
          { path: 'alerts/:id', element: <StaffAlertPage /> },
          { path: 'procedures', element: <StaffProceduresPage /> },
          { path: 'procedures/:id', element: <StaffProcedurePage /> },
          { path: 'units', element: <StaffUnitsPage /> },
          { path: 'units/:id', element: <StaffUnitPage /> },
          { path: 'units/:id/posters', element: <StaffPostersPage /> },
          { path: 'areas/:id', element: <StaffAreaPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]

export const router = createBrowserRouter(routes)
