import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { call } from '../api/client';
import { describe } from '../api/problem';
import { useConsole, useSession } from '../auth/SessionContext';
import { OrderTable } from '../components/OrderTable';
import { Pager } from '../components/Pager';
import { useCursorPages } from '../lib/useCursorPages';

export function MyOrders() {
  const { client } = useConsole();
  const session = useSession();
  const pages = useCursorPages();
  const orders = useQuery({
    queryKey: ['orders', 'mine', session.subject, pages.cursor],
    queryFn: async () => (await call(client.api.GET('/api/customers/{customerId}/orders', {
      params: { path: { customerId: session.subject }, query: { limit: 20, cursor: pages.cursor } },
    }))).data,
  });
  return (
    <section aria-labelledby="mine-title">
      <div className="heading">
        <h1 id="mine-title">My orders</h1>
        <Link className="button" to="/orders/new">Place an order</Link>
      </div>
      {orders.isPending && <p>Loading…</p>}
      {orders.error && <p role="alert" className="error">{describe(orders.error)}</p>}
      {orders.data && <OrderTable orders={orders.data.orders} showCustomer={false} caption="My orders" />}
      <Pager page={pages.page} hasNext={!!orders.data?.nextCursor} onFirst={pages.first} onPrevious={pages.previous}
        onNext={() => pages.next(orders.data?.nextCursor)} />
    </section>
  );
}
