import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { call } from '../api/client';
import { describe } from '../api/problem';
import { useConsole } from '../auth/SessionContext';
import type { components } from '../api/schema.gen';
import { dateTime } from '../lib/format';

type Status = components['schemas']['ProjectionStatus'];

/** Projections: where each stands (position, lag, the reader horizon), its dead letters and what to do with them. */
export function Projections() {
  const { client } = useConsole();
  const overview = useQuery({
    queryKey: ['projections'],
    queryFn: async () => (await call(client.api.GET('/api/admin/projections'))).data,
    refetchInterval: 2_000,
  });
  return (
    <section aria-labelledby="projections-title">
      <h1 id="projections-title">Projections</h1>
      {overview.error && <p role="alert" className="error">{describe(overview.error)}</p>}
      {overview.data && (
        <>
          <p className="hint" data-testid="horizon">
            Reader horizon: {overview.data.readerHorizon.eventsHeldBack} committed event(s) held back behind open
            transactions, {overview.data.readerHorizon.lagSeconds.toFixed(1)} s.
          </p>
          {overview.data.projections.map((status) => <Projection key={status.name} status={status} />)}
        </>
      )}
    </section>
  );
}

function Projection({ status }: { status: Status }) {
  const { client } = useConsole();
  const queries = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const [confirmRebuild, setConfirmRebuild] = useState(false);
  const name = status.name;
  const letters = useQuery({
    queryKey: ['dead-letters', name],
    queryFn: async () => (await call(client.api.GET('/api/admin/projections/{name}/dead-letters',
      { params: { path: { name } } }))).data.deadLetters,
    refetchInterval: 2_000,
  });

  const act = async (label: string, action: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await action();
      setMessage(label);
    } catch (e) {
      setMessage(describe(e));
    }
    await queries.invalidateQueries({ queryKey: ['dead-letters', name] });
    await queries.invalidateQueries({ queryKey: ['projections'] });
  };
  const letterAction = (letterId: number, action: 'replay' | 'skip') => act(
    action === 'replay' ? `Replay of dead letter ${letterId} requested.` : `Dead letter ${letterId} skipped.`,
    () => call(client.api.POST('/api/admin/projections/{name}/dead-letters/{letterId}/{action}',
      { params: { path: { name, letterId, action } } })));

  return (
    <article className="card" aria-labelledby={`p-${name}`}>
      <h2 id={`p-${name}`}>{name} <span className="hint">v{status.version}</span></h2>
      <dl className="stats">
        <div><dt>State</dt><dd data-testid="state">{status.state}</dd></div>
        <div><dt>Position</dt><dd>{status.globalPosition}</dd></div>
        <div><dt>Lag</dt><dd data-testid="lag">{status.lagEvents} events · {status.lagSeconds.toFixed(1)} s</dd></div>
        <div><dt>Processed</dt><dd>{status.eventsProcessed}</dd></div>
        <div><dt>Pending dead letters</dt><dd data-testid="pending">{status.pendingDeadLetters}</dd></div>
        <div><dt>Active version</dt><dd>{status.activeVersion ?? '—'}</dd></div>
      </dl>
      {status.lastError && <p className="error">Last error: {status.lastError}</p>}
      {message && <p role="status">{message}</p>}
      <div className="row">
        <button type="button" disabled={status.pendingDeadLetters === 0}
          onClick={() => void act('Replay of every pending dead letter requested.', () => call(client.api.POST(
            '/api/admin/projections/{name}/dead-letters/replay', { params: { path: { name } } })))}>
          Replay all pending
        </button>
        {!confirmRebuild && <button type="button" className="danger" onClick={() => setConfirmRebuild(true)}>Rebuild…</button>}
        {confirmRebuild && (
          <>
            <span>The read model is emptied and refilled from the first event. Queries see it refill.</span>
            <button type="button" className="danger" onClick={() => {
              setConfirmRebuild(false);
              void act('Rebuild requested.', () => call(client.api.POST('/api/admin/projections/{name}/rebuild',
                { params: { path: { name } } })));
            }}>Confirm rebuild</button>
            <button type="button" className="secondary" onClick={() => setConfirmRebuild(false)}>Keep it</button>
          </>
        )}
      </div>
      <h3>Dead letters</h3>
      {letters.error && <p role="alert" className="error">{describe(letters.error)}</p>}
      {letters.data?.length === 0 && <p className="empty">None: every event was applied.</p>}
      {letters.data && letters.data.length > 0 && (
        <table className="table">
          <caption className="sr-only">Dead letters of {name}</caption>
          <thead><tr><th scope="col">Id</th><th scope="col">Status</th><th scope="col">Event</th>
            <th scope="col">Error</th><th scope="col">Attempts</th><th scope="col">Failed</th>
            <th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {letters.data.map((letter) => (
              <tr key={letter.id} data-letter-id={letter.id}>
                <td>{letter.id}</td>
                <td data-testid="letter-status">{letter.status}</td>
                <td>
                  {letter.eventType} <span className="hint">{letter.streamId} v{letter.streamVersion}</span>
                  {letter.event && <details><summary>Event data</summary><pre>{JSON.stringify(letter.event, null, 2)}</pre></details>}
                </td>
                <td><code>{letter.error}</code></td>
                <td className="num">{letter.attempts}</td>
                <td>{dateTime(letter.failedAt)}</td>
                <td>
                  {letter.status === 'PENDING' && (
                    <>
                      <button type="button" className="secondary" onClick={() => void letterAction(letter.id, 'replay')}
                        aria-label={`Replay dead letter ${letter.id}`}>Replay</button>
                      <button type="button" className="link" onClick={() => void letterAction(letter.id, 'skip')}
                        aria-label={`Skip dead letter ${letter.id}`}>Skip</button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
