// The console's own server in its image (port 3000, the seed's frontend): the built files under /console/ (hashed
// assets cached for a year, every client-side route answered with index.html), /console/config.json from the seed's
// NEXT_PUBLIC_API_URL and NEXT_PUBLIC_WS_URL, /health for the probes, and a clean stop on SIGTERM.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import sirv from 'sirv';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const apiUrl = (process.env.NEXT_PUBLIC_API_URL ?? '').replace(/\/+$/, '');
const wsUrl = (process.env.NEXT_PUBLIC_WS_URL ?? '').replace(/\/+$/, '');
for (const [name, value, schemes] of [['NEXT_PUBLIC_API_URL', apiUrl, ['http:', 'https:']],
  ['NEXT_PUBLIC_WS_URL', wsUrl, ['ws:', 'wss:']]]) {
  if (value && !schemes.includes(safeProtocol(value))) {
    console.error(JSON.stringify({ level: 'error', message: `${name}='${value}' must be an absolute ${schemes.join(' or ')} URL` }));
    process.exit(2);
  }
}
// The seed's values also set these two: the version is shown in the console's header; error reporting to Sentry is
// not built, and saying so at start beats ignoring the setting.
const version = process.env.NEXT_PUBLIC_APP_VERSION || process.env.APP_VERSION || 'dev';
if (process.env.NEXT_PUBLIC_SENTRY_DSN) {
  console.log(JSON.stringify({ level: 'warn', message: 'NEXT_PUBLIC_SENTRY_DSN is set, but this console reports no '
    + 'errors to Sentry; it is ignored' }));
}
const config = JSON.stringify({ apiUrl, wsUrl, devSignIn: false, version });
const connect = ["'self'", origin(apiUrl), origin(wsUrl)].filter(Boolean).join(' ');
const security = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': `default-src 'self'; connect-src ${connect}; img-src 'self' data:; `
    + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
};
const files = sirv(path.join(here, 'dist'), {
  single: true,
  dev: false,
  etag: true,
  setHeaders: (res, pathname) => {
    res.setHeader('Cache-Control', pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  },
});

const server = createServer((req, res) => {
  const started = process.hrtime.bigint();
  const url = req.url ?? '/';
  res.on('finish', () => {
    if (url === '/health') return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(JSON.stringify({ level: 'info', method: req.method, path: url, status: res.statusCode, ms }));
  });
  for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
  } else if (url === '/health') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
      .end(JSON.stringify({ status: shuttingDown ? 'stopping' : 'ok' }));
  } else if (url === '/console/config.json') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(config);
  } else if (url === '/' || url === '/console') {
    res.writeHead(302, { Location: '/console/' }).end();
  } else if (url.startsWith('/console/')) {
    req.url = url.slice('/console'.length);
    files(req, res, () => res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n'));
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }
});

let shuttingDown = false;
function stop(signal) {
  shuttingDown = true;
  console.log(JSON.stringify({ level: 'info', message: `${signal}: closing` }));
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
server.headersTimeout = 10_000;
server.requestTimeout = 30_000;
server.listen(port, host, () => {
  console.log(JSON.stringify({ level: 'info', message: `console on ${host}:${port}`, apiUrl, wsUrl }));
});

function safeProtocol(url) {
  try {
    return new URL(url).protocol;
  } catch {
    return 'invalid';
  }
}

function origin(url) {
  return url ? new URL(url).origin : '';
}
