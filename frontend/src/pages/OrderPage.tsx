import * as Tabs from '@radix-ui/react-tabs';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { describe } from '../api/problem';
import { useConsole, useSession } from '../auth/SessionContext';
import { StatusBadge } from '../components/StatusBadge';
import { dateTime, money } from '../lib/format';
import { useOrder, useOrderEvents, type OrderEvent } from '../lib/orderApi';
import { merge, timeline } from '../lib/timeline';
import { useLiveEvents } from '../lib/useLiveEvents';
import { EventHistory } from './order/EventHistory';
import { OrderActions } from './order/OrderActions';
import { OrderLines } from './order/OrderLines';
import { TimeTravel } from './order/TimeTravel';

/** One order: its state and what can be done with it, its timeline and events (live), and time travel. */
export function OrderPage() {
  const { orderId = '' } = useParams();
  const { client } = useConsole();
  const session = useSession();
  const queries = useQueryClient();
  const order = useOrder(client, orderId);
  const stored = useOrderEvents(client, orderId);
  const [live, setLive] = useState<OrderEvent[]>([]);
  const [conflict, setConflict] = useState<string | null>(null);
  // The feed starts after the last event loaded over HTTP, once, and resumes from there on its own.
  const [liveFrom, setLiveFrom] = useState<string | null>(null);
  useEffect(() => {
    const last = stored.data?.[stored.data.length - 1];
    if (liveFrom === null && last?.position) setLiveFrom(last.position);
  }, [stored.data, liveFrom]);

  const feed = useLiveEvents({ orderId, after: liveFrom ?? undefined, enabled: liveFrom !== null }, (event) => {
    setLive((events) => merge(events, [{ version: event.version, type: event.type, eventId: '', globalPosition: 0,
      position: event.position, recordedAt: event.recordedAt, data: event.data }]));
    if (event.version > (order.data?.version ?? -1)) {
      void queries.invalidateQueries({ queryKey: ['order', orderId] });
      void queries.invalidateQueries({ queryKey: ['order-events', orderId] });
    }
  });

  if (order.isPending) return <p>Loading…</p>;
  // A failed refetch keeps the data: only a first load that failed replaces the page.
  if (!order.data) return <p role="alert" className="error">{describe(order.error)}</p>;
  const { order: current, version } = order.data;
  const events = merge(stored.data ?? [], live);
  const admin = session.role === 'admin';

  return (
    <article aria-labelledby="order-title">
      <div className="heading">
        <h1 id="order-title" tabIndex={-1}>Order {current.id}</h1>
        <StatusBadge status={current.status} />
        <span className="hint">version {version} · customer {current.customerId} · feed {feed}</span>
      </div>
      {order.error && <p role="alert" className="error">Could not refresh: {describe(order.error)}</p>}
      {conflict && (
        <div role="alert" className="conflict">
          <p>{conflict}</p>
          <button type="button" className="link" onClick={() => setConflict(null)}>Dismiss</button>
        </div>
      )}
      <Tabs.Root defaultValue="order" className="tabs">
        <Tabs.List aria-label="Order views" className="tab-list">
          <Tabs.Trigger value="order">Order</Tabs.Trigger>
          <Tabs.Trigger value="history">History ({events.length} events)</Tabs.Trigger>
          <Tabs.Trigger value="travel">Time travel</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="order" className="tab-panel">
          <ol className="timeline" aria-label="Status timeline">
            {timeline(events).map((step) => (
              <li key={step.version}>
                <StatusBadge status={step.status} /> {dateTime(step.at)}
                {step.by && <span className="hint"> by {step.by}</span>}
              </li>
            ))}
          </ol>
          <OrderLines order={current} version={version} onConflict={setConflict} />
          <p className="total">Total {money(current.total, current.currency)}</p>
          {current.payment?.reference && <p>Paid {money(current.payment.amount, current.currency)}, reference {current.payment.reference}</p>}
          {current.shipping?.carrier && <p>Shipped with {current.shipping.carrier}, tracking {current.shipping.trackingNumber}</p>}
          {current.cancellation?.reason !== undefined && <p>Cancelled: {current.cancellation.reason || 'no reason given'}
            {current.cancellation.refund && ` (refund ${money(current.cancellation.refund, current.currency)})`}</p>}
          <OrderActions order={current} version={version} admin={admin} onConflict={setConflict} />
        </Tabs.Content>
        <Tabs.Content value="history" className="tab-panel">
          {stored.error && <p role="alert" className="error">{describe(stored.error)}</p>}
          <EventHistory events={events} />
        </Tabs.Content>
        <Tabs.Content value="travel" className="tab-panel">
          <TimeTravel orderId={orderId} latest={version} />
        </Tabs.Content>
      </Tabs.Root>
    </article>
  );
}
