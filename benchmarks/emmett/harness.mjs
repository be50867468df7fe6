// The Emmett peer of the JMH benchmarks (issue 23): @event-driven-io/emmett-postgresql against the same PostgreSQL,
// with the payloads and event mix of benchmarks/src/main/java/dev/eventfold/benchmarks/Events.java (an order placed
// with three lines, then quantity changes; about 250 bytes of JSON each). Each scenario warms up, then measures for a
// fixed time; latencies are per operation, percentiles over every operation measured. Writes JSON to --out.
//
//   node harness.mjs [--url postgres://postgres@127.0.0.1:5432/postgres] [--warmup 6] [--measure 9] [--out file]
//
// The store lives in a database of its own (emmett_bench, dropped and created at the start, dropped at the end).
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { writeFileSync } from 'node:fs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, value, i, all) =>
  (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[i + 1]]] : pairs), []));
const adminUrl = args.url ?? process.env.EMMETT_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const warmupSeconds = Number(args.warmup ?? 6);
const measureSeconds = Number(args.measure ?? 9);
const database = 'emmett_bench';
const url = adminUrl.replace(/\/[^/?]*(\?|$)/, `/${database}$1`);

const T0 = Date.parse('2026-11-24T10:00:00Z');
const LINES = [
  { productId: 'p-1', productName: 'Widget, blue, large', quantity: 2, unitPrice: { amount: 19.90, currency: 'EUR' } },
  { productId: 'p-2', productName: 'Gadget with a longer product name', quantity: 1,
    unitPrice: { amount: 5.50, currency: 'EUR' } },
  { productId: 'p-3', productName: 'Bolt M8', quantity: 40, unitPrice: { amount: 0.12, currency: 'EUR' } },
];

/** Event number `version` of an order's stream, as Events.event makes it. */
function event(orderId, version) {
  const at = new Date(T0 + version).toISOString();
  if (version === 0) {
    return { type: 'OrderPlaced', data: { at, currency: 'EUR', customer: null, customerId: 'customer-1',
      lines: LINES, orderId }, metadata: { schemaVersion: '1' } };
  }
  const quantity = 1 + (version % 50);
  const total = Math.round((19.90 * quantity + 5.50 + 4.80) * 100) / 100;
  return { type: 'ItemQuantityChanged', data: { at, orderTotal: { amount: total, currency: 'EUR' },
    productId: 'p-1', quantity }, metadata: { schemaVersion: '1' } };
}

const range = (orderId, from, count) => Array.from({ length: count }, (_, i) => event(orderId, from + i));

/** The fold of the Java benchmark's order: lines and a total, enough to touch every field. */
function evolve(state, e) {
  if (e.type === 'OrderPlaced') {
    return { id: e.data.orderId, lines: e.data.lines.map((l) => ({ ...l })), total: 0, version: 0 };
  }
  const lines = state.lines.map((l) => (l.productId === e.data.productId ? { ...l, quantity: e.data.quantity } : l));
  return { ...state, lines, total: e.data.orderTotal.amount, version: state.version + 1 };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Runs `op` by `inFlight` concurrent loops: warm-up, then measurement. Returns ms percentiles and ops/s. */
async function measure(name, inFlight, op, eventsPerOp = 1) {
  for (const [phase, seconds] of [['warmup', warmupSeconds], ['measure', measureSeconds]]) {
    const latencies = [];
    const end = performance.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(Array.from({ length: inFlight }, async (_, worker) => {
      while (performance.now() < end) {
        const t = performance.now();
        await op(worker);
        latencies.push(performance.now() - t);
      }
    }));
    if (phase === 'measure') {
      const elapsed = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const result = { inFlight, operations: latencies.length, opsPerSecond: latencies.length / elapsed,
        eventsPerSecond: (latencies.length * eventsPerOp) / elapsed, p50Ms: percentile(latencies, 0.5),
        p99Ms: percentile(latencies, 0.99) };
      console.log(name, JSON.stringify(result));
      return result;
    }
  }
}

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin(`CREATE DATABASE ${database}`);
const store = getPostgreSQLEventStore(url);
const results = { tool: '@event-driven-io/emmett-postgresql 0.42.0', node: process.version, warmupSeconds,
  measureSeconds, scenarios: {} };
try {
  await store.schema.migrate();

  // Single-event appends with the exact expected version, to one of the worker's 100 streams (AppendBenchmark).
  for (const inFlight of [1, 4]) {
    const counts = new Map();
    let next = 0;
    results.scenarios[`append-1-inflight-${inFlight}`] = await measure(`append 1 event, ${inFlight} in flight`,
      inFlight, async (worker) => {
        const stream = `order-s${inFlight}-${worker}-${next++ % 100}`;
        const count = counts.get(stream) ?? 0; // Emmett's stream version counts events
        const result = await store.appendToStream(stream, [event(stream, count)],
          { expectedStreamVersion: count === 0 ? STREAM_DOES_NOT_EXIST : BigInt(count) });
        counts.set(stream, Number(result.nextExpectedStreamVersion));
      });
  }

  // Batches of 100 to one of the worker's 100 streams.
  {
    const counts = new Map();
    let next = 0;
    results.scenarios['append-100-inflight-1'] = await measure('append 100 events, 1 in flight', 1, async () => {
      const stream = `order-b-${next++ % 100}`;
      const count = counts.get(stream) ?? 0;
      const result = await store.appendToStream(stream, range(stream, count, 100),
        { expectedStreamVersion: count === 0 ? STREAM_DOES_NOT_EXIST : BigInt(count) });
      counts.set(stream, Number(result.nextExpectedStreamVersion));
    }, 100);
  }

  // Loads: read and fold one order of 1,000 and 10,000 events (ReconstructionBenchmark).
  for (const count of [1000, 10000]) {
    const stream = `order-load-${count}`;
    for (let written = 0; written < count; written += 1000) {
      await store.appendToStream(stream, range(stream, written, 1000));
    }
    results.scenarios[`load-${count}`] = await measure(`load ${count} events`, 1, async () => {
      const { state } = await store.aggregateStream(stream, { evolve, initialState: () => null });
      if (state.version !== count - 1) {
        throw new Error(`folded to ${state.version}, expected ${count - 1}`);
      }
    }, count);
  }
} finally {
  await store.close();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}
if (args.out) {
  writeFileSync(args.out, JSON.stringify(results, null, 2) + '\n');
}
