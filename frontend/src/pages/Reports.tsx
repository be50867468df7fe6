import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { call } from '../api/client';
import { describe } from '../api/problem';
import { useConsole } from '../auth/SessionContext';
import { money } from '../lib/format';

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** The daily sales report (a read model): a chart per currency and the same figures as a table. */
export function Reports() {
  const { client } = useConsole();
  const [range, setRange] = useState({ from: daysAgo(30), to: today() });
  const report = useQuery({
    queryKey: ['sales', range],
    queryFn: async () => (await call(client.api.GET('/api/reports/sales-daily', { params: { query: range } }))).data,
  });
  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setRange({ from: String(form.get('from')), to: String(form.get('to')) });
  };
  const days = report.data?.days ?? [];
  const currencies = [...new Set(days.map((d) => d.currency))];

  return (
    <section aria-labelledby="sales-title">
      <h1 id="sales-title">Daily sales</h1>
      <form className="filters" onSubmit={apply} aria-label="Report period">
        <label>From<input type="date" name="from" defaultValue={range.from} required /></label>
        <label>To<input type="date" name="to" defaultValue={range.to} required /></label>
        <button type="submit">Show</button>
      </form>
      {report.error && <p role="alert" className="error">{describe(report.error)}</p>}
      {report.data && days.length === 0 && <p className="empty">No paid or cancelled orders in this period.</p>}
      {currencies.map((currency) => {
        const rows = days.filter((d) => d.currency === currency)
          .map((d) => ({ day: d.day, gross: Number(d.gross), refunds: Number(d.refunds), net: Number(d.net) }));
        return (
          <figure key={currency} className="card chart" aria-label={`Daily sales in ${currency}`}>
            <figcaption>{currency}</figcaption>
            <ResponsiveContainer width="100%" height={260}>
              <BarChart data={rows}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="day" />
                <YAxis />
                <Tooltip />
                <Legend />
                <Bar dataKey="gross" fill="#2563eb" name="Gross" />
                <Bar dataKey="refunds" fill="#dc2626" name="Refunds" />
                <Bar dataKey="net" fill="#16a34a" name="Net" />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        );
      })}
      {days.length > 0 && (
        <table className="table" data-testid="sales-table">
          <caption>Daily sales (UTC days)</caption>
          <thead><tr><th scope="col">Day</th><th scope="col">Currency</th><th scope="col" className="num">Orders</th>
            <th scope="col" className="num">Gross</th><th scope="col" className="num">Refunds</th>
            <th scope="col" className="num">Net</th></tr></thead>
          <tbody>
            {days.map((d) => (
              <tr key={`${d.day}-${d.currency}`}>
                <td>{d.day}</td><td>{d.currency}</td><td className="num">{d.orders}</td>
                <td className="num">{money(d.gross, d.currency)}</td><td className="num">{money(d.refunds, d.currency)}</td>
                <td className="num">{money(d.net, d.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
