import * as Slider from '@radix-ui/react-slider';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../../api/client';
import { describe } from '../../api/problem';
import { useConsole } from '../../auth/SessionContext';
import { StatusBadge } from '../../components/StatusBadge';
import { money } from '../../lib/format';

type Point = { kind: 'version'; version: number } | { kind: 'at'; at: string };

/** The order as it was: at a version (the slider) or at a moment (the date picker, UTC). */
export function TimeTravel({ orderId, latest }: { orderId: string; latest: number }) {
  const { client } = useConsole();
  const [point, setPoint] = useState<Point>({ kind: 'version', version: latest });
  const [moment, setMoment] = useState('');
  const [momentError, setMomentError] = useState<string | null>(null);
  const past = useQuery({
    queryKey: ['order-at', orderId, point],
    queryFn: async () => (await call(client.api.GET('/api/orders/{id}', { params: { path: { id: orderId },
      query: point.kind === 'version' ? { atVersion: point.version } : { at: point.at } } }))).data,
    placeholderData: (previous) => previous,
  });
  const version = point.kind === 'version' ? point.version : past.data?.version ?? latest;

  return (
    <section aria-labelledby="travel-title">
      <h2 id="travel-title">The order as it was</h2>
      <div className="row">
        <span id="slider-label">Version</span>
        <Slider.Root className="slider" min={0} max={latest} step={1} value={[version]}
          onValueChange={([v]) => setPoint({ kind: 'version', version: v ?? latest })}>
          <Slider.Track className="slider-track"><Slider.Range className="slider-range" /></Slider.Track>
          <Slider.Thumb className="slider-thumb" aria-labelledby="slider-label" aria-valuetext={`version ${version} of ${latest}`} />
        </Slider.Root>
        <output aria-live="polite">v{version} of {latest}</output>
      </div>
      <form className="row" onSubmit={(e) => {
        e.preventDefault();
        const at = utcInstant(moment);
        setMomentError(at ? null : 'Pick a date and a time.');
        if (at) setPoint({ kind: 'at', at });
      }}>
        <label>At a moment (UTC)<input type="datetime-local" step={1} value={moment} aria-invalid={!!momentError}
          aria-describedby={momentError ? 'moment-error' : undefined} onChange={(e) => setMoment(e.target.value)} /></label>
        <button type="submit" className="secondary">Show</button>
        {momentError && <span id="moment-error" className="field-error">{momentError}</span>}
      </form>
      {past.error && <p role="alert" className="error">{describe(past.error)}</p>}
      {past.data && (
        <div className="card" aria-label="Order at that point" data-testid="past-order">
          <p><StatusBadge status={past.data.status} /> version {past.data.version} · {past.data.items.length} line(s) ·
            total {money(past.data.total, past.data.currency)}</p>
          <ul>
            {past.data.items.map((line) => <li key={line.productId}>{line.quantity} × {line.productName} at {money(line.price, past.data.currency)}</li>)}
          </ul>
        </div>
      )}
    </section>
  );
}

/** A datetime-local value (with or without seconds) read as UTC, or null if it is not a complete moment. */
export function utcInstant(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
