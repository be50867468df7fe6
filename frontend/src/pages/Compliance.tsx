import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { ApiError, describe } from '../api/problem';
import { useConsole } from '../auth/SessionContext';
import { dateTime } from '../lib/format';

type OrderAction = 'soft-delete' | 'restore' | 'tombstone';

/** The server's own sentence (a 404, 409 or 422 here says exactly what was refused), else the generic one. */
function explain(error: unknown): string {
  return error instanceof ApiError && ![401, 429].includes(error.status) ? error.message : describe(error);
}

const ORDER_ACTIONS: Record<OrderAction, string> = {
  'soft-delete': 'Hide (soft delete)',
  restore: 'Restore',
  tombstone: 'Delete for good (tombstone)',
};

/**
 * Compliance (operators): forget a customer's personal data, hide, restore or delete an order, run retention, and the
 * audit trail of every such action. Each action needs a reason, which the trail keeps.
 */
export function Compliance() {
  const queries = useQueryClient();
  const refresh = () => queries.invalidateQueries({ queryKey: ['audit'] });
  return (
    <section aria-labelledby="compliance-title">
      <h1 id="compliance-title">Compliance</h1>
      <p className="hint">
        Every action here is recorded in the audit trail below with who, when and why. Put no personal data in a reason.
      </p>
      <div className="grid-2">
        <ForgetCustomer onDone={refresh} />
        <OrderActions onDone={refresh} />
      </div>
      <Retention onDone={refresh} />
      <AuditTrail />
    </section>
  );
}

type Result = { ok: boolean; text: string } | null;

/** What the last action did, or why it was refused. */
function Outcome({ result }: { result: Result }) {
  if (!result) return null;
  return <p role={result.ok ? 'status' : 'alert'} className={result.ok ? '' : 'error'}>{result.text}</p>;
}

function ForgetCustomer({ onDone }: { onDone: () => Promise<void> }) {
  const { client } = useConsole();
  const [customerId, setCustomerId] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<Result>(null);
  const submit = async () => {
    setConfirming(false);
    setResult(null);
    try {
      const done = (await call(client.api.DELETE('/api/customers/{customerId}/personal-data', {
        params: { path: { customerId } }, body: { reason },
      }))).data;
      setResult({ ok: true, text: `Forgotten: ${done.keysDestroyed ?? 0} key(s) destroyed, ${done.ordersAffected ?? 0}`
        + ` order(s) keep their lines, totals and statuses; name, e-mail and address now read as empty.` });
      setReason('');
    } catch (e) {
      setResult({ ok: false, text: explain(e) });
    }
    await onDone();
  };
  const ask = (event: FormEvent) => {
    event.preventDefault();
    setConfirming(true);
  };
  return (
    <article className="card" aria-labelledby="forget-title">
      <h2 id="forget-title">Forget a customer</h2>
      <p className="hint">GDPR erasure: the customer's keys are destroyed, so their personal data can never be read again.</p>
      <form onSubmit={ask}>
        <label>Customer id <input required maxLength={100} value={customerId}
          onChange={(e) => { setCustomerId(e.target.value); setConfirming(false); }} /></label>
        <label>Reason <input required maxLength={1000} value={reason} placeholder="e.g. GDPR request 812"
          onChange={(e) => setReason(e.target.value)} /></label>
        {!confirming && <button type="submit" className="danger">Forget…</button>}
      </form>
      {confirming && (
        <div className="row" role="group" aria-label="Confirm the erasure">
          <span>This cannot be undone.</span>
          <button type="button" className="danger" onClick={() => void submit()}>Forget {customerId}</button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>Keep the data</button>
        </div>
      )}
      <Outcome result={result} />
    </article>
  );
}

function OrderActions({ onDone }: { onDone: () => Promise<void> }) {
  const { client } = useConsole();
  const [orderId, setOrderId] = useState('');
  const [action, setAction] = useState<OrderAction>('soft-delete');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<Result>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    const params = { params: { path: { id: orderId } }, body: { reason } };
    try {
      if (action === 'soft-delete') await call(client.api.POST('/api/admin/orders/{id}/soft-delete', params));
      else if (action === 'restore') await call(client.api.POST('/api/admin/orders/{id}/restore', params));
      else await call(client.api.POST('/api/admin/orders/{id}/tombstone', params));
      setResult({ ok: true, text: `${ORDER_ACTIONS[action]}: done for order ${orderId}.` });
      setReason('');
    } catch (e) {
      setResult({ ok: false, text: explain(e) });
    }
    await onDone();
  };
  return (
    <article className="card" aria-labelledby="order-actions-title">
      <h2 id="order-actions-title">Hide, restore or delete an order</h2>
      <p className="hint">A hidden order answers 410 and leaves the lists until restored; a tombstone is final.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label>Order id <input required maxLength={100} value={orderId} onChange={(e) => setOrderId(e.target.value)} /></label>
        <label>Action <select value={action} onChange={(e) => setAction(e.target.value as OrderAction)}>
          {(Object.keys(ORDER_ACTIONS) as OrderAction[]).map((key) => <option key={key} value={key}>{ORDER_ACTIONS[key]}</option>)}
        </select></label>
        <label>Reason <input required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <button type="submit" className={action === 'tombstone' ? 'danger' : ''}>{ORDER_ACTIONS[action]}</button>
      </form>
      <Outcome result={result} />
    </article>
  );
}

function Retention({ onDone }: { onDone: () => Promise<void> }) {
  const { client } = useConsole();
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<Result>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    try {
      const done = (await call(client.api.POST('/api/admin/retention/run', { body: { reason } }))).data;
      const runs = done.runs ?? [];
      setResult({ ok: true, text: runs.map((run) => `${run.policy}: ${run.events ?? 0} event(s) archived and removed`)
        .join('; ') || 'Nothing to do.' });
    } catch (e) {
      setResult({ ok: false, text: explain(e) });
    }
    await onDone();
  };
  return (
    <article className="card" aria-labelledby="retention-title">
      <h2 id="retention-title">Retention</h2>
      <p className="hint">Runs the configured retention policies now (they also run on their schedule).</p>
      <form onSubmit={(e) => void submit(e)} className="row">
        <label>Reason <input required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        <button type="submit">Run retention now</button>
      </form>
      <Outcome result={result} />
    </article>
  );
}

function AuditTrail() {
  const { client } = useConsole();
  const trail = useQuery({
    queryKey: ['audit'],
    queryFn: async () => (await call(client.api.GET('/api/admin/audit', { params: { query: { limit: 50 } } }))).data,
    refetchInterval: 5_000,
  });
  return (
    <article className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail <span className="hint">newest first</span></h2>
      {trail.error && <p role="alert" className="error">{describe(trail.error)}</p>}
      {trail.data?.entries?.length === 0 && <p className="empty">No administrative action yet.</p>}
      {trail.data?.entries && trail.data.entries.length > 0 && (
        <table className="table" data-testid="audit">
          <caption className="sr-only">Administrative actions</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Target</th>
            <th scope="col">Who</th><th scope="col">Why</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {trail.data.entries.map((entry) => (
              <tr key={entry.version}>
                <td>{dateTime(entry.at)}</td>
                <td><code>{entry.action}</code></td>
                <td>{entry.target}</td>
                <td>{entry.actor}</td>
                <td>{entry.reason}</td>
                <td className="hint">{Object.entries(entry.details).map(([key, value]) => `${key}: ${value}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
