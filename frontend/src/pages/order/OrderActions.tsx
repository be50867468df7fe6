import { useState, type FormEvent } from 'react';
import { ApiError, describe } from '../../api/problem';
import { useConsole } from '../../auth/SessionContext';
import { useSendCommand, type Command, type Order } from '../../lib/orderApi';
import { actionsFor } from '../../lib/timeline';

const LABELS: Record<string, string> = {
  confirm: 'Confirm order', pay: 'Pay', ship: 'Ship', deliver: 'Mark delivered', cancel: 'Cancel order',
};

/** The status changes open to this person now; pay, ship and cancel ask for their details first. */
export function OrderActions({ order, version, admin, onConflict }: {
  order: Order; version: number; admin: boolean; onConflict: (message: string) => void;
}) {
  const { client } = useConsole();
  const send = useSendCommand(client, order.id);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const actions = actionsFor(order.status, admin);
  if (actions.length === 0) return null;

  const run = async (command: Command) => {
    setBusy(true);
    setError(null);
    try {
      await send(command, version);
      setOpen(null);
      // The button pressed is gone with the old status: focus goes to the order, not to the page's start.
      document.getElementById('order-title')?.focus();
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) {
        onConflict(describe(e));
        setOpen(null);
      } else {
        setError(describe(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const submit = (action: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    if (action === 'pay') void run({ kind: 'pay', amount: order.total, paymentReference: text('reference') || undefined });
    if (action === 'ship') void run({ kind: 'ship', carrier: text('carrier'), trackingNumber: text('tracking') });
    if (action === 'cancel') void run({ kind: 'cancel', reason: text('reason') || undefined });
  };

  return (
    <section aria-label="Actions" className="actions">
      {error && <p role="alert" className="error">{error}</p>}
      <div className="row">
        {actions.map((action) => (
          <button key={action} type="button" disabled={busy} className={action === 'cancel' ? 'danger' : undefined}
            aria-expanded={action === 'confirm' || action === 'deliver' ? undefined : open === action}
            onClick={() => (action === 'confirm' || action === 'deliver' ? void run({ kind: action }) : setOpen(action))}>
            {LABELS[action]}
          </button>
        ))}
      </div>
      {open === 'pay' && (
        <form className="card" onSubmit={submit('pay')} aria-label="Payment">
          <p>Amount due: <strong>{order.total} {order.currency}</strong></p>
          <label>Payment reference<input name="reference" maxLength={100} /></label>
          <button type="submit" disabled={busy}>Pay {order.total} {order.currency}</button>
        </form>
      )}
      {open === 'ship' && (
        <form className="card" onSubmit={submit('ship')} aria-label="Shipment">
          <label>Carrier<input name="carrier" required maxLength={100} /></label>
          <label>Tracking number<input name="tracking" required maxLength={100} /></label>
          <button type="submit" disabled={busy}>Ship order</button>
        </form>
      )}
      {open === 'cancel' && (
        <form className="card" onSubmit={submit('cancel')} aria-label="Cancellation">
          <label>Reason (optional)<input name="reason" maxLength={500} /></label>
          <button type="submit" className="danger" disabled={busy}>Confirm cancellation</button>
        </form>
      )}
    </section>
  );
}
