import { Link } from 'react-router-dom';
import type { components } from '../api/schema.gen';
import { dateTime, money } from '../lib/format';
import { StatusBadge } from './StatusBadge';

type Summary = components['schemas']['OrderSummary'];

export function OrderTable({ orders, showCustomer, caption }: { orders: Summary[]; showCustomer: boolean; caption: string }) {
  if (orders.length === 0) return <p className="empty">No orders here yet.</p>;
  return (
    <table className="table">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          {showCustomer && <th scope="col">Customer</th>}
          <th scope="col">Status</th>
          <th scope="col" className="num">Total</th>
          <th scope="col" className="num">Lines</th>
          <th scope="col">Placed</th>
          <th scope="col" className="num">Version</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id} data-order-id={order.id}>
            <td><Link to={`/orders/${order.id}`}>{order.id}</Link></td>
            {showCustomer && <td>{order.customerId}</td>}
            <td><StatusBadge status={order.status} /></td>
            <td className="num">{money(order.total, order.currency)}</td>
            <td className="num">{order.lineCount}</td>
            <td>{dateTime(order.createdAt)}</td>
            <td className="num">{order.version}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
