import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Starts a real development center, `onedoor dev` with its own data folder and free ports, for
 * the whole test run, and stops it after. ONEDOOR_BIN names the binary (make test-web builds
 * it); ONEDOOR_URL instead points the tests at a center already running.
 */
export default async function startCenter(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.ONEDOOR_URL) return undefined;
  const bin = process.env.ONEDOOR_BIN ?? resolve('../bin/onedoor');
  mkdirSync('test-results', { recursive: true });
  const log = createWriteStream('test-results/onedoor-dev.log');
  // The free ports `dev` picks can be taken by another test's server before it binds them (make
  // test runs the Go tests alongside): a center that exits while starting is started again.
  let started: Started | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await startOnce(bin, log);
    } catch (e) {
      if (attempt === 3) throw e;
      log.write(`\n--- onedoor dev failed to start (attempt ${attempt}), starting it again ---\n`);
    }
  }
  const { child, data, url } = started;
  // Ready when PostgreSQL, Temporal and the workers answer.
  for (let i = 0; ; i++) {
    const r = await fetch(`${url}/healthz`).catch(() => undefined);
    if (r?.ok) break;
    if (i > 120) throw new Error(`${url}/healthz never answered 200`);
    await new Promise((r) => setTimeout(r, 500));
  }
  process.env.ONEDOOR_URL = url;

  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT'); // stops PostgreSQL and Temporal cleanly
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    log.end();
    rmSync(data, { recursive: true, force: true });
  };
}

interface Started {
  child: ChildProcess;
  data: string;
  url: string;
}

/** startOnce starts `onedoor dev` on a fresh data folder and waits for its workbench address. */
async function startOnce(bin: string, log: WriteStream): Promise<Started> {
  const data = mkdtempSync(join(tmpdir(), 'onedoor-e2e-'));
  const child = spawn(
    bin,
    ['dev', '--data', data, '--addr', '127.0.0.1:0', '--temporal-port', '0', '--rate-limit=-1'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log, { end: false });
  try {
    const url = await new Promise<string>((ok, fail) => {
      let seen = '';
      const timer = setTimeout(() => fail(new Error(`onedoor dev did not start within 120 s:\n${seen}`)), 120_000);
      child.stderr.on('data', (b: Buffer) => {
        log.write(b);
        seen += b.toString();
        const m = /Workbench: (http:\/\/[^/\s]+)\//.exec(seen);
        if (m) {
          clearTimeout(timer);
          ok(m[1]!);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        fail(new Error(`onedoor dev exited with ${code}:\n${seen}`));
      });
    });
    return { child, data, url };
  } catch (e) {
    if (child.exitCode === null) {
      child.kill('SIGINT'); // a center that hangs while starting stops its PostgreSQL on SIGINT
      await new Promise((r) => setTimeout(r, 5_000));
    }
    rmSync(data, { recursive: true, force: true });
    throw e;
  }
}
