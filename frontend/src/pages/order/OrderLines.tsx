import { useState, type FormEvent } from 'react';
import { ApiError, describe, fieldErrors } from '../../api/problem';
import { useConsole } from '../../auth/SessionContext';
import { money } from '../../lib/format';
import { useSendCommand, type Command, type Order } from '../../lib/orderApi';

/** The order's lines; while it is pending, quantities can be changed, lines removed and new ones added. */
export function OrderLines({ order, version, onConflict }: {
  order: Order; version: number; onConflict: (message: string) => void;
}) {
  const { client } = useConsole();
  const send = useSendCommand(client, order.id);
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const editable = order.status === 'PENDING';

  const run = async (command: Command): Promise<boolean> => {
    setError(null);
    try {
      await send(command, version);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.isConflict) onConflict(describe(e));
      else setError({ message: describe(e), fields: e instanceof ApiError ? fieldErrors(e.problem) : {} });
      return false;
    }
  };

  const change = (productId: string) => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const quantity = Number(new FormData(event.currentTarget).get('quantity'));
    void run({ kind: 'change', productId, quantity });
  };

  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const element = event.currentTarget; // React clears currentTarget once the handler returns
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    void run({ kind: 'add', productId: text('productId'), productName: text('productName'),
      quantity: Number(text('quantity')), price: text('price') }).then((done) => {
      if (done) {
        element.reset();
        element.querySelector<HTMLInputElement>('input[name="productId"]')?.focus();
      }
    });
  };

  return (
    <section aria-label="Order lines">
      {error && <p role="alert" className="error">{error.message}</p>}
      <table className="table">
        <caption className="sr-only">Order lines</caption>
        <thead>
          <tr><th scope="col">Product</th><th scope="col" className="num">Quantity</th>
            <th scope="col" className="num">Unit price</th><th scope="col" className="num">Line total</th>
            {editable && <th scope="col"><span className="sr-only">Change</span></th>}</tr>
        </thead>
        <tbody>
          {order.items.map((line) => (
            <tr key={line.productId}>
              <td>{line.productName} <span className="hint">({line.productId})</span></td>
              <td className="num">
                {editable ? (
                  <form onSubmit={change(line.productId)} className="inline-form" key={`${line.productId}-${version}`}>
                    <input name="quantity" type="number" min={1} max={10000} defaultValue={line.quantity}
                      aria-label={`Quantity of ${line.productName}`} className="qty" />
                    <button type="submit" className="secondary">Update</button>
                  </form>
                ) : line.quantity}
              </td>
              <td className="num">{money(line.price, order.currency)}</td>
              <td className="num">{money(line.lineTotal, order.currency)}</td>
              {editable && (
                <td><button type="button" className="link" onClick={() => void run({ kind: 'remove', productId: line.productId })
                  .then(() => document.getElementById('order-title')?.focus())}
                  aria-label={`Remove ${line.productName}`}>Remove</button></td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <form onSubmit={add} className="filters" aria-label="Add an item">
          <label>Product id<input name="productId" required maxLength={100}
            aria-invalid={!!error?.fields.productId} /></label>
          <label>Product name<input name="productName" required maxLength={200} /></label>
          <label>Quantity<input name="quantity" type="number" min={1} max={10000} defaultValue={1} required
            aria-invalid={!!error?.fields.quantity} /></label>
          <label>Unit price<input name="price" inputMode="decimal" required aria-invalid={!!error?.fields.price} /></label>
          <button type="submit" className="secondary">Add item</button>
          {Object.entries(error?.fields ?? {}).map(([field, message]) => (
            <span key={field} className="field-error">{field} {message}</span>
          ))}
        </form>
      )}
    </section>
  );
}
