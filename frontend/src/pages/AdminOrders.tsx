import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { call } from '../api/client';
import { describe } from '../api/problem';
import { useConsole } from '../auth/SessionContext';
import { OrderTable } from '../components/OrderTable';
import { Pager } from '../components/Pager';
import { dateTime, STATUSES } from '../lib/format';
import { useCursorPages } from '../lib/useCursorPages';
import { useLiveEvents, type LiveEvent } from '../lib/useLiveEvents';

interface Filters {
  status?: (typeof STATUSES)[number];
  customerId?: string;
  createdAfter?: string;
  createdBefore?: string;
}

/** The operator's order list: the server's filters and cursor paging, and the live feed of new events. */
export function AdminOrders() {
  const { client } = useConsole();
  const pages = useCursorPages();
  const [filters, setFilters] = useState<Filters>({});
  const [recent, setRecent] = useState<LiveEvent[]>([]);
  // The last live event's position: the list asks the server to answer once the read models got there.
  const [seen, setSeen] = useState<string | undefined>(undefined);
  // At most one list refresh a second however fast events come; the newest position wins.
  const latest = useRef<string | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const orders = useQuery({
    queryKey: ['orders', 'all', filters, pages.cursor, seen],
    queryFn: async ({ signal }) => (await call(client.api.GET('/api/orders', {
      params: { query: { ...filters, limit: 20, cursor: pages.cursor, minPosition: seen } }, signal,
    }))).data,
    placeholderData: (previous) => previous,
  });
  // The live feed starts where the read models are now: what came before is already in the list.
  const start = useQuery({
    queryKey: ['live-start'],
    queryFn: async () => (await call(client.api.GET('/api/admin/projections'))).data.projections[0]?.position ?? '',
    staleTime: Infinity,
  });
  const live = useLiveEvents({ after: start.data || undefined, enabled: start.isSuccess }, (event) => {
    setRecent((events) => [event, ...events].slice(0, 12));
    latest.current = event.position;
    timer.current ??= setTimeout(() => {
      timer.current = undefined;
      setSeen(latest.current);
    }, 1_000);
  });

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => (String(form.get(name) ?? '').trim() || undefined);
    const day = (name: string, end: boolean) => {
      const value = text(name);
      return value ? `${value}T${end ? '23:59:59.999999' : '00:00:00'}Z` : undefined;
    };
    setFilters({
      status: text('status') as Filters['status'],
      customerId: text('customerId'),
      createdAfter: day('createdAfter', false),
      createdBefore: day('createdBefore', true),
    });
    pages.first();
  };

  return (
    <section aria-labelledby="all-title" className="split">
      <div>
        <h1 id="all-title">All orders</h1>
        <form className="filters" onSubmit={apply} aria-label="Filter orders">
          <label>Status
            <select name="status" defaultValue="">
              <option value="">Any</option>
              {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
          <label>Customer<input name="customerId" maxLength={100} /></label>
          <label>Placed from<input type="date" name="createdAfter" /></label>
          <label>Placed until<input type="date" name="createdBefore" /></label>
          <button type="submit">Apply filters</button>
        </form>
        {orders.isPending && <p>Loading…</p>}
        {orders.error && <p role="alert" className="error">{describe(orders.error)}</p>}
        {orders.data && <OrderTable orders={orders.data.orders} showCustomer caption="All orders" />}
        <Pager page={pages.page} hasNext={!!orders.data?.nextCursor && !orders.isPlaceholderData} onFirst={pages.first}
          onPrevious={pages.previous} onNext={() => pages.next(orders.data?.nextCursor)} />
      </div>
      <aside aria-labelledby="live-title" className="card">
        <h2 id="live-title">Live events <span className={`dot dot-${live}`} role="img" aria-label={`feed ${live}`} /></h2>
        {recent.length === 0 && <p className="hint">New events appear here as they are written.</p>}
        <ol className="feed" aria-live="polite">
          {recent.map((event) => (
            <li key={event.position}>
              <strong>{event.type}</strong> <Link to={`/orders/${event.orderId}`}>{event.orderId}</Link>
              <span className="hint"> v{event.version} · {dateTime(event.recordedAt)}</span>
            </li>
          ))}
        </ol>
      </aside>
    </section>
  );
}
