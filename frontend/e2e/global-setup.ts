import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

export const WORK = path.resolve(import.meta.dirname, '.work');
export const DATA_DIR = path.join(WORK, 'data');

/** Starts the packaged server in its embedded dev mode on a fresh data directory; stops it (SIGTERM) afterwards. */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const jar = process.env.CONSOLE_SERVER_JAR;
  if (!jar) throw new Error('set CONSOLE_SERVER_JAR to the packaged reference-server.jar (frontend/test.sh does)');
  const port = process.env.CONSOLE_PORT!;
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const log = createWriteStream(path.join(WORK, 'server.log'));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: port, HOST: '127.0.0.1', METRICS_PORT: '0',
    EVENTFOLD_DATA_DIR: DATA_DIR };
  for (const name of ['DB_HOST', 'REDIS_HOST', 'REDIS_URL', 'JWT_SECRET', 'JWT_REFRESH_SECRET', 'NODE_ENV', 'CONFIG_DIR',
    'CONFIG_FILE', 'MONITORING_CONFIG_FILE']) {
    delete env[name];
  }
  const server: ChildProcess = spawn('java', ['-jar', jar], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  const stop = async () => {
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await ready(server, port);
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

async function ready(server: ChildProcess, port: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) {
      throw new Error(`the server exited with ${server.exitCode}; see ${path.join(WORK, 'server.log')}`);
    }
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      const console = await fetch(`http://127.0.0.1:${port}/console/`);
      if (ready.ok && console.ok) return;
      if (ready.ok && console.status === 404) throw new Error('the jar carries no console (built with -Dconsole.skip?)');
    } catch (error) {
      if (error instanceof Error && error.message.includes('no console')) throw error;
    }
    if (Date.now() > deadline) throw new Error(`the server was not ready within 120 s; see ${WORK}/server.log`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
