import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useFieldArray, useForm, type Path } from 'react-hook-form';
import { useNavigate } from 'react-router-dom';
import { call } from '../api/client';
import { ApiError, describe, fieldErrors } from '../api/problem';
import { useConsole, useSession } from '../auth/SessionContext';
import { money, total } from '../lib/format';
import { emptyItem, orderSchema, toCreateOrder, type OrderForm } from '../lib/orderForm';

/** Placing an order: lines with quantities and prices, validated here and by the server (422 marks the field). */
export function NewOrder() {
  const { client } = useConsole();
  const session = useSession();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  // One key per form: a retried submission (a lost answer) cannot place the order twice.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const form = useForm<OrderForm, unknown, import('zod').output<typeof orderSchema>>({
    resolver: zodResolver(orderSchema),
    defaultValues: { currency: 'EUR', items: [{ ...emptyItem }] },
  });
  const items = useFieldArray({ control: form.control, name: 'items' });
  const errors = form.formState.errors;
  const watched = form.watch('items');
  const currency = form.watch('currency');

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const { data } = await call(client.api.POST('/api/orders', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: toCreateOrder(session.subject, values),
      }));
      await queries.invalidateQueries({ queryKey: ['orders'] });
      navigate(`/orders/${data.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) {
        for (const [path, message] of Object.entries(fieldErrors(error.problem))) {
          form.setError(path as Path<OrderForm>, { type: 'server', message });
        }
      }
      setFailure(describe(error));
    }
  });

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">Place an order</h1>
      {failure && <p role="alert" className="error">{failure}</p>}
      <form onSubmit={submit} noValidate>
        <label className="short">Currency
          <select {...form.register('currency')}>
            {orderSchema.shape.currency.options.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <table className="table lines">
          <caption className="sr-only">Order lines</caption>
          <thead>
            <tr><th scope="col">Product id</th><th scope="col">Name</th><th scope="col">Quantity</th>
              <th scope="col">Unit price</th><th scope="col"><span className="sr-only">Remove</span></th></tr>
          </thead>
          <tbody>
            {items.fields.map((field, i) => (
              <tr key={field.id}>
                {(['productId', 'productName', 'quantity', 'price'] as const).map((name) => {
                  const error = errors.items?.[i]?.[name]?.message;
                  const label = { productId: 'Product id', productName: 'Product name', quantity: 'Quantity',
                    price: 'Unit price' }[name];
                  return (
                    <td key={name}>
                      <input aria-label={`${label}, line ${i + 1}`} aria-invalid={!!error}
                        aria-describedby={error ? `e-${i}-${name}` : undefined}
                        inputMode={name === 'price' ? 'decimal' : name === 'quantity' ? 'numeric' : undefined}
                        {...form.register(`items.${i}.${name}`)} />
                      {error && <span id={`e-${i}-${name}`} className="field-error">{error}</span>}
                    </td>
                  );
                })}
                <td>
                  <button type="button" className="link" onClick={() => items.remove(i)}
                    disabled={items.fields.length === 1} aria-label={`Remove line ${i + 1}`}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {errors.items?.root?.message && <p className="field-error" role="alert">{errors.items.root.message}</p>}
        {errors.items?.message && <p className="field-error" role="alert">{errors.items.message}</p>}
        <div className="row">
          <button type="button" className="secondary" onClick={() => items.append({ ...emptyItem })}>Add a line</button>
          <span className="total" aria-live="polite">Total {money(total(watched.map((l) => ({
            quantity: l.quantity as number, price: String(l.price ?? '') }))), currency)}</span>
          <button type="submit" disabled={form.formState.isSubmitting}>Place order</button>
        </div>
      </form>
    </section>
  );
}
