import { lazy, Suspense } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { useSession } from './auth/session';
import { Shell } from './components/Shell';
import { UnderConstruction } from './components/UnderConstruction';

// Each page is its own chunk, so the first page loads only what it draws.
const SignInPage = lazy(() => import('./auth/SignInPage').then((m) => ({ default: m.SignInPage })));
const SignInCallback = lazy(() => import('./auth/SignInCallback').then((m) => ({ default: m.SignInCallback })));
const QueuePage = lazy(() => import('./queue/QueuePage').then((m) => ({ default: m.QueuePage })));
const RegisterPage = lazy(() => import('./register/RegisterPage').then((m) => ({ default: m.RegisterPage })));
const CasePage = lazy(() => import('./case/CasePage').then((m) => ({ default: m.CasePage })));
const SearchPage = lazy(() => import('./search/SearchPage').then((m) => ({ default: m.SearchPage })));
const StatsPage = lazy(() => import('./stats/StatsPage').then((m) => ({ default: m.StatsPage })));
const GridPage = lazy(() => import('./grid/GridPage').then((m) => ({ default: m.GridPage })));
const CourtPage = lazy(() => import('./court/CourtPage').then((m) => ({ default: m.CourtPage })));
const ConferencesPage = lazy(() => import('./conferences/ConferencesPage').then((m) => ({ default: m.ConferencesPage })));
const AssessmentPage = lazy(() => import('./assessment/AssessmentPage').then((m) => ({ default: m.AssessmentPage })));
const OverridesPage = lazy(() => import('./overrides/OverridesPage').then((m) => ({ default: m.OverridesPage })));
const StudioPage = lazy(() => import('./studio/StudioPage').then((m) => ({ default: m.StudioPage })));
const MigrationsPage = lazy(() => import('./migrations/MigrationsPage').then((m) => ({ default: m.MigrationsPage })));
const TaskListsPage = lazy(() => import('./tasks/TaskListsPage').then((m) => ({ default: m.TaskListsPage })));
// The residents' pages, without an account, outside the signed-in shell.
const StatusPage = lazy(() => import('./resident/StatusPage').then((m) => ({ default: m.StatusPage })));
const RatePage = lazy(() => import('./resident/RatePage').then((m) => ({ default: m.RatePage })));
const SupervisionPage = lazy(() => import('./board/SupervisionPage').then((m) => ({ default: m.SupervisionPage })));
const CalendarPage = lazy(() => import('./calendar/CalendarPage').then((m) => ({ default: m.CalendarPage })));
const OutboxPage = lazy(() => import('./outbox/OutboxPage').then((m) => ({ default: m.OutboxPage })));
const OrgPage = lazy(() => import('./org/OrgPage').then((m) => ({ default: m.OrgPage })));

/** RequireSession sends a visitor who has not signed in to the sign-in page, and back after. */
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) return <Navigate to="/signin" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

export function App() {
  return (
    <Suspense fallback={null}>
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route path="/signin/callback" element={<SignInCallback />} />
      <Route path="/status" element={<StatusPage />} />
      <Route path="/rate/:token" element={<RatePage />} />
      <Route element={<RequireSession />}>
        <Route element={<Shell />}>
          <Route index element={<Navigate to="/queue" replace />} />
          <Route path="/queue" element={<QueuePage />} />
          <Route path="/tasks" element={<TaskListsPage />} />
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/cases" element={<SearchPage />} />
          <Route path="/cases/:id" element={<CasePage />} />
          <Route path="/supervision" element={<SupervisionPage />} />
          <Route path="/stats" element={<StatsPage />} />
          <Route path="/assessment" element={<AssessmentPage />} />
          <Route path="/court" element={<CourtPage />} />
          <Route path="/conferences" element={<ConferencesPage />} />
          <Route path="/grid" element={<GridPage />} />
          <Route path="/outbox" element={<OutboxPage />} />
          <Route path="/studio/:key?/:version?" element={<StudioPage />} />
          <Route path="/migrations/:id?" element={<MigrationsPage />} />
          <Route path="/overrides/:key?" element={<OverridesPage />} />
          <Route path="/calendar" element={<CalendarPage />} />
          <Route path="/org" element={<OrgPage />} />
          <Route path="*" element={<UnderConstruction />} />
        </Route>
      </Route>
    </Routes>
    </Suspense>
  );
}
