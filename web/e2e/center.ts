import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Starts a real development center, `onedoor dev` with its own data folder and free ports, for
 * the whole test run, and stops it after. ONEDOOR_BIN names the binary (make test-web builds
 * it); ONEDOOR_URL instead points the tests at a center already running.
 *
 * The center also accepts the tokens of a mock OpenID Connect provider on loopback
 * (e2e/oidcprovider, started first) and offers its sign-in button beside the demo users, so
 * e2e/oidc.spec.ts signs in by authorization code + PKCE without a second center.
 */
export default async function startCenter(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.ONEDOOR_URL) return undefined;
  const bin = process.env.ONEDOOR_BIN ?? resolve('../bin/onedoor');
  mkdirSync('test-results', { recursive: true });
  const provider = await startProvider();
  const log = createWriteStream('test-results/onedoor-dev.log');
  // The free ports `dev` picks can be taken by another test's server before it binds them (make
  // test runs the Go tests alongside): a center that exits while starting is started again.
  let started: Started | undefined;
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await startOnce(bin, log, provider.issuer);
    } catch (e) {
      if (attempt === 3) {
        provider.child.kill('SIGTERM');
        throw e;
      }
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
    provider.child.kill('SIGTERM');
  };
}

/** OIDC_CLIENT_ID is the workbench's client id at the mock provider, and its tokens' audience. */
const OIDC_CLIENT_ID = 'onedoor';

/**
 * startProvider builds and starts the mock OpenID Connect provider (everyone signs in as
 * clerk-sarula) and returns its issuer URL, which it prints when it listens.
 */
async function startProvider(): Promise<{ child: ChildProcess; issuer: string }> {
  const out = resolve('test-results/oidcprovider');
  const built = spawnSync('go', ['build', '-o', out, './e2e/oidcprovider'], { cwd: resolve('..'), encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`go build ./e2e/oidcprovider: ${built.stderr || built.error?.message}`);
  const child = spawn(out, ['--client-id', OIDC_CLIENT_ID, '--subject', 'clerk-sarula'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const issuer = await new Promise<string>((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`the mock OpenID Connect provider did not start:\n${seen}`)), 30_000);
    child.stdout!.on('data', (b: Buffer) => {
      seen += b.toString();
      const m = /^(http:\/\/\S+)\n/.exec(seen);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the mock OpenID Connect provider exited with ${code}`));
    });
  });
  process.env.ONEDOOR_OIDC_ISSUER = issuer;
  return { child, issuer };
}

interface Started {
  child: ChildProcess;
  data: string;
  url: string;
}

/** startOnce starts `onedoor dev` on a fresh data folder and waits for its workbench address. */
async function startOnce(bin: string, log: WriteStream, issuer: string): Promise<Started> {
  const data = mkdtempSync(join(tmpdir(), 'onedoor-e2e-'));
  const child = spawn(
    bin,
    ['dev', '--data', data, '--addr', '127.0.0.1:0', '--temporal-port', '0', '--temporal-ui-port=-1', '--rate-limit=-1'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ONEDOOR_JWT_ISSUER: issuer,
        ONEDOOR_JWKS_URL: `${issuer}/.well-known/jwks.json`,
        ONEDOOR_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
      },
    },
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
