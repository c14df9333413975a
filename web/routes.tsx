import type { ComponentType } from 'react'
import { createBrowserRouter, type RouteObject } from 'react-router'
import { NotFoundPage } from './components/NotFoundPage'
import { RouteErrorPage } from './components/RouteErrorPage'
import { HomePage } from './features/home/HomePage'
import { ResidentLayout } from './layouts/ResidentLayout'
import { StaffLayout } from './layouts/StaffLayout'

/**
 * Every page but the home page is loaded when first visited, so a resident opening a QR link does
 * not download the officer console, the map or the alert composer.
 */
const page =
  <M,>(load: () => Promise<M>, name: keyof M) =>
  async () => ({ Component: (await load())[name] as ComponentType })

// Pathless children carry the errorElement so that an error renders inside the layout.
export const routes: RouteObject[] = [
  {
    element: <ResidentLayout />,
    children: [
      {
        errorElement: <RouteErrorPage />,
        children: [
          { index: true, element: <HomePage /> },
          { path: 'ask', lazy: page(() => import('./features/messaging/AskPage'), 'AskPage') },
          { path: 'groups', lazy: page(() => import('./features/messaging/GroupPage'), 'GroupsPage') },
          {
            path: 'groups/join/:code',
            lazy: page(() => import('./features/messaging/GroupPage'), 'GroupJoinPage'),
          },
          { path: 'groups/:id', lazy: page(() => import('./features/messaging/GroupPage'), 'GroupPage') },
          { path: 'tips/new', lazy: page(() => import('./features/tips/TipNewPage'), 'TipNewPage') },
          { path: 'tips/mine', lazy: page(() => import('./features/tips/ResidentTipPages'), 'MyTipsPage') },
          {
            path: 'tips/mine/:id',
            lazy: page(() => import('./features/tips/ResidentTipPages'), 'MyTipPage'),
          },
          { path: 'tips/code', lazy: page(() => import('./features/tips/ResidentTipPages'), 'TipCodePage') },
          {
            path: 'movements',
            lazy: page(() => import('./features/movements/ResidentMovementsPages'), 'MyMovementsPage'),
          },
          {
            path: 'movements/new/:kind',
            lazy: page(() => import('./features/movements/ResidentMovementsPages'), 'ReportNewPage'),
          },
          {
            path: 'movements/guests',
            lazy: page(() => import('./features/movements/GuestListPage'), 'GuestListPage'),
          },
          {
            path: 'movements/guests/form',
            lazy: page(() => import('./features/movements/GuestFormPage'), 'GuestFormPage'),
          },
          {
            path: 'help',
            lazy: page(() => import('./features/tips/HelpRequestPages'), 'MyHelpRequestsPage'),
          },
          {
            path: 'help/:id',
            lazy: page(() => import('./features/tips/HelpRequestPages'), 'HelpRequestPage'),
          },
          {
            path: 'procedures',
            lazy: page(() => import('./features/procedures/ProceduresPage'), 'ProceduresPage'),
          },
          {
            path: 'procedures/:id',
            lazy: page(() => import('./features/procedures/ProcedurePage'), 'ProcedurePage'),
          },
          {
            path: 'directory',
            lazy: page(() => import('./features/directory/DirectoryPage'), 'DirectoryPage'),
          },
          { path: 'u/:slug', lazy: page(() => import('./features/directory/UnitPage'), 'UnitPage') },
          { path: 'a/:slug', lazy: page(() => import('./features/directory/AreaPage'), 'AreaPage') },
          {
            path: 'check-caller',
            lazy: page(() => import('./features/directory/CheckCallerPage'), 'CheckCallerPage'),
          },
          {
            path: 'so-lua-dao/:phone',
            lazy: page(() => import('./features/scam-numbers/ScamNumberPage'), 'ScamNumberPage'),
          },
          {
            path: 'sign-in',
            lazy: page(() => import('./features/auth/ResidentSignInPage'), 'ResidentSignInPage'),
          },
          {
            path: 'staff/sign-in',
            lazy: page(() => import('./features/auth/StaffSignInPage'), 'StaffSignInPage'),
          },
          { path: 'me', lazy: page(() => import('./features/account/MePage'), 'MePage') },
          { path: 'welcome', lazy: page(() => import('./features/account/WelcomePage'), 'WelcomePage') },
          {
            path: 'alerts',
            lazy: page(() => import('./features/alerts/ResidentAlertsPage'), 'ResidentAlertsPage'),
          },
          { path: 'alerts/:id', lazy: page(() => import('./features/alerts/AlertPage'), 'AlertPage') },
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
          { index: true, lazy: page(() => import('./features/messaging/InboxPage'), 'InboxPage') },
          { path: 'inbox', lazy: page(() => import('./features/messaging/InboxPage'), 'InboxPage') },
          { path: 'inbox/:id', lazy: page(() => import('./features/messaging/InboxPage'), 'InboxPage') },
          {
            path: 'inbox/:id/context',
            lazy: page(() => import('./features/messaging/InboxPage'), 'InboxPage'),
          },
          {
            path: 'canned-replies',
            lazy: page(() => import('./features/messaging/CannedRepliesPage'), 'CannedRepliesPage'),
          },
          { path: 'tips', lazy: page(() => import('./features/tips/StaffTipsPages'), 'StaffTipsPage') },
          { path: 'tips/:id', lazy: page(() => import('./features/tips/StaffTipsPages'), 'StaffTipPage') },
          { path: 'cases', lazy: page(() => import('./features/tips/StaffCasePage'), 'StaffCasesPage') },
          { path: 'cases/:id', lazy: page(() => import('./features/tips/StaffCasePage'), 'StaffCasePage') },
          { path: 'map', lazy: page(() => import('./features/tips/StaffMapPage'), 'StaffMapPage') },
          {
            path: 'account',
            lazy: page(() => import('./features/account/StaffAccountPage'), 'StaffAccountPage'),
          },
          {
            path: 'movements',
            lazy: page(() => import('./features/movements/StaffMovementsPages'), 'StaffMovementsPage'),
          },
          {
            path: 'movements/areas',
            lazy: page(() => import('./features/movements/StaffAreaCountsPage'), 'StaffAreaCountsPage'),
          },
          {
            path: 'register',
            lazy: page(() => import('./features/movements/StaffRegisterPage'), 'StaffRegisterPage'),
          },
          {
            path: 'alerts',
            lazy: page(() => import('./features/alerts/StaffAlertsPage'), 'StaffAlertsPage'),
          },
          {
            path: 'scam-reports',
            lazy: page(() => import('./features/scam-numbers/StaffScamReportsPage'), 'StaffScamReportsPage'),
          },
          {
            path: 'alerts/new',
            lazy: page(() => import('./features/alerts/ComposeAlertPage'), 'ComposeAlertPage'),
          },
          {
            path: 'alerts/:id',
            lazy: page(() => import('./features/alerts/StaffAlertPage'), 'StaffAlertPage'),
          },
          {
            path: 'dashboard',
            lazy: page(() => import('./features/dashboard/StaffDashboardPage'), 'StaffDashboardPage'),
          },
          {
            path: 'dashboard/records',
            lazy: page(
              () => import('./features/dashboard/StaffDashboardRecordsPage'),
              'StaffDashboardRecordsPage',
            ),
          },
          {
            path: 'procedures',
            lazy: page(() => import('./features/procedures/StaffProceduresPage'), 'StaffProceduresPage'),
          },
          {
            path: 'procedures/:id',
            lazy: page(() => import('./features/procedures/StaffProcedurePage'), 'StaffProcedurePage'),
          },
          {
            path: 'units',
            lazy: page(() => import('./features/organisation/StaffUnitsPage'), 'StaffUnitsPage'),
          },
          {
            path: 'officer-photos',
            lazy: page(() => import('./features/officer-photos/OfficerPhotosPage'), 'OfficerPhotosPage'),
          },
          {
            path: 'unit-tree',
            lazy: page(() => import('./features/unit-tree/UnitTreePage'), 'UnitTreePage'),
          },
          {
            path: 'health',
            lazy: page(() => import('./features/health/SystemHealthPage'), 'SystemHealthPage'),
          },
          {
            path: 'retention',
            lazy: page(() => import('./features/retention/RetentionPage'), 'RetentionPage'),
          },
          {
            path: 'units/:id',
            lazy: page(() => import('./features/organisation/StaffUnitPage'), 'StaffUnitPage'),
          },
          {
            path: 'units/:id/sms',
            lazy: page(() => import('./features/sms/SmsBudgetPage'), 'SmsBudgetPage'),
          },
          {
            path: 'units/:id/posters',
            lazy: page(() => import('./features/posters/StaffPostersPage'), 'StaffPostersPage'),
          },
          {
            path: 'units/:id/channels',
            lazy: page(() => import('./features/channels/StaffChannelsPage'), 'StaffChannelsPage'),
          },
          {
            path: 'areas/:id',
            lazy: page(() => import('./features/organisation/StaffAreaPage'), 'StaffAreaPage'),
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]

export const router = createBrowserRouter(routes)
