import { dateTime } from '../../lib/format';
import type { OrderEvent } from '../../lib/orderApi';

/** Every event of the order with its data and metadata: who, under which correlation, where in the log. */
export function EventHistory({ events }: { events: OrderEvent[] }) {
  if (events.length === 0) return <p className="empty">No events.</p>;
  return (
    <ol className="history" aria-label="Event history">
      {events.map((event) => (
        <li key={event.version} className="card" data-version={event.version}>
          <h3><span className="version">v{event.version}</span> {event.type}</h3>
          <dl className="meta">
            <dt>Recorded</dt><dd>{dateTime(event.recordedAt)}</dd>
            {event.userId && <><dt>By</dt><dd>{event.userId}</dd></>}
            {event.correlationId && <><dt>Correlation id</dt><dd><code>{event.correlationId}</code></dd></>}
            {event.causationId && <><dt>Causation id</dt><dd><code>{event.causationId}</code></dd></>}
            {event.globalPosition > 0 && <><dt>Log position</dt><dd>{event.globalPosition}</dd></>}
            {event.eventId && <><dt>Event id</dt><dd><code>{event.eventId}</code></dd></>}
          </dl>
          <details>
            <summary>Data</summary>
            <pre>{JSON.stringify(event.data, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}
