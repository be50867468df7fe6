import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { useConsole } from './auth/SessionContext';
import { AdminOrders } from './pages/AdminOrders';
import { Compliance } from './pages/Compliance';
import { MyOrders } from './pages/MyOrders';
import { NewOrder } from './pages/NewOrder';
import { OrderPage } from './pages/OrderPage';
import { Projections } from './pages/Projections';
import { SignIn } from './pages/SignIn';

// The chart library is most of the bundle: loaded only when the report is opened.
const Reports = lazy(() => import('./pages/Reports').then((module) => ({ default: module.Reports })));

const TITLES: [string, string][] = [['/orders/new', 'New order'], ['/orders/', 'Order'], ['/orders', 'Orders'],
  ['/projections', 'Projections'], ['/reports', 'Sales report'], ['/compliance', 'Compliance']];

export function App() {
  const { session, client, config } = useConsole();
  const queries = useQueryClient();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    // A new page: its title, and focus at its start (a screen reader announces it; Tab goes on from there).
    document.title = `${TITLES.find(([prefix]) => location.pathname.startsWith(prefix))?.[1] ?? 'Orders'} · Eventfold`;
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);
  if (!session) return <SignIn />;
  const admin = session.role === 'admin';
  const signOut = async () => {
    // Ends the session on the server (every replica); a 503 means only this replica knows: try once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await client.api.DELETE('/api/sessions/current').catch(() => undefined);
      if (!answer || answer.response.status !== 503) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    client.set(null);
    queries.clear();
  };
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="bar">
        <span className="brand">Eventfold orders <span className="version-tag">{config.version}</span></span>
        <nav aria-label="Main">
          <NavLink to="/orders" end>{admin ? 'All orders' : 'My orders'}</NavLink>
          {!admin && <NavLink to="/orders/new">New order</NavLink>}
          {admin && <NavLink to="/projections">Projections</NavLink>}
          {admin && <NavLink to="/reports">Sales report</NavLink>}
          {admin && <NavLink to="/compliance">Compliance</NavLink>}
        </nav>
        <span className="who">
          Signed in as <strong>{session.subject}</strong> ({session.role})
          <button type="button" className="link" onClick={signOut}>Sign out</button>
        </span>
      </header>
      <main id="main" className="page" ref={main} tabIndex={-1}>
        <Routes>
          <Route path="/" element={<Navigate to="/orders" replace />} />
          <Route path="/orders" element={admin ? <AdminOrders /> : <MyOrders />} />
          <Route path="/orders/new" element={<NewOrder />} />
          <Route path="/orders/:orderId" element={<OrderPage />} />
          <Route path="/projections" element={admin ? <Projections /> : <Navigate to="/orders" replace />} />
          <Route path="/reports" element={admin ? <Suspense fallback={<p>Loading…</p>}><Reports /></Suspense>
            : <Navigate to="/orders" replace />} />
          <Route path="/compliance" element={admin ? <Compliance /> : <Navigate to="/orders" replace />} />
          <Route path="*" element={<p>Nothing here. <NavLink to="/orders">Back to the orders</NavLink></p>} />
        </Routes>
      </main>
    </>
  );
}
