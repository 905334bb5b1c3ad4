// The kianax command line and process lifecycle: help, version, config errors, the embedded PostgreSQL, health.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runKianax, startKianax, tempDataDir, removeDir } from './lib/kianax.mjs';

const noDb = { DATABASE_URL: undefined, DIRECT_URL: undefined };

function errorLines(stderr) {
  return stderr.split('\n').filter((l) => l.startsWith('kianax: error:'));
}

test('version prints the version and exits 0', () => {
  const r = runKianax(['version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^kianax \d+\.\d+\.\d+/);
});

test('help lists every role', () => {
  const r = runKianax(['--help']);
  assert.equal(r.status, 0);
  for (const cmd of ['serve', 'worker', 'migrate', 'version', 'routine', 'import', 'export', 'verify']) {
    assert.match(r.stdout, new RegExp(`\\b${cmd}\\b`), `help mentions ${cmd}`);
  }
  const m = runKianax(['migrate', '--help']);
  assert.equal(m.status, 0);
  assert.match(m.stdout, /--status/);
});

test('unfinished commands fail clearly instead of pretending', () => {
  for (const cmd of ['import', 'export', 'verify']) {
    const r = runKianax([cmd, 'x.json']);
    assert.notEqual(r.status, 0, cmd);
    assert.match(r.stderr, /not yet available/, cmd);
  }
});

test('a malformed PORT is one clear error line', () => {
  const r = runKianax([], { ...noDb, PORT: 'abc' });
  assert.notEqual(r.status, 0);
  assert.deepEqual(errorLines(r.stderr), ["kianax: error: PORT='abc' is not an integer in [0, 65535]"]);
});

test('an unreachable DATABASE_URL is one line, password redacted, exit code not 0', () => {
  const r = runKianax(['serve'], { DATABASE_URL: 'postgresql://alice:s3cret-pw@127.0.0.1:1/kianax', PORT: '0',
    BETTER_AUTH_SECRET: 'e2e-cli-secret-0123456789abcdef0123' });
  assert.notEqual(r.status, 0);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /127\.0\.0\.1/);
  assert.match(lines[0], /alice/);
  assert.doesNotMatch(r.stderr, /s3cret-pw/);
});

test('a malformed DATABASE_URL is one clear line', () => {
  const r = runKianax(['migrate'], { DATABASE_URL: 'postgresql://bob:pw@[::1/x', DIRECT_URL: undefined });
  assert.notEqual(r.status, 0);
  const lines = errorLines(r.stderr);
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /DIRECT_URL|DATABASE_URL/);
  assert.doesNotMatch(r.stderr, /:pw@/);
});

test('serve and worker without KIANAX_ENCRYPTION_KEY refuse to start, in one line', () => {
  for (const role of ['serve', 'worker']) {
    const r = runKianax([role], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/x', KIANAX_ENCRYPTION_KEY: undefined,
      BETTER_AUTH_SECRET: 'e2e-cli-secret-0123456789abcdef0123', PORT: '0' });
    assert.notEqual(r.status, 0);
    const lines = errorLines(r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /KIANAX_ENCRYPTION_KEY/, role);
  }
});

test('serve without DATABASE_URL refuses to start', () => {
  const r = runKianax(['serve'], { ...noDb, PORT: '0' });
  assert.notEqual(r.status, 0);
  assert.match(errorLines(r.stderr)[0], /DATABASE_URL/);
});

test('all-in-one: embedded database, health, migrate --status, clean stop, restart reuses data', async () => {
  const dataDir = tempDataDir();
  try {
    const env = { ...noDb, KIANAX_DATA_DIR: dataDir };
    const k = await startKianax([], env);
    assert.match(k.log(), /creating a new cluster/);
    assert.ok(k.log().includes(dataDir), 'logs where the data lives');

    const health = await fetch(`${k.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${k.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());

    // A second process on the same data dir attaches to the running cluster.
    const st = runKianax(['migrate', '--status'], env);
    assert.equal(st.status, 0, st.stderr);
    assert.match(st.stdout, /0001\s+initial\s+applied/);

    const { code } = await k.stop('SIGTERM');
    assert.equal(code, 0, k.log());
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'postgres stopped with us');

    const again = await startKianax([], env);
    assert.doesNotMatch(again.log(), /creating a new cluster/);
    assert.equal((await fetch(`${again.url}/readyz`)).status, 200);
    assert.equal((await again.stop('SIGINT')).code, 0);
  } finally {
    removeDir(dataDir);
  }
});

test('all-in-one recovers from a crash: SIGKILL, then a stale postmaster.pid', async () => {
  const dataDir = tempDataDir();
  try {
    const env = { ...noDb, KIANAX_DATA_DIR: dataDir };
    const k = await startKianax([], env);
    await k.stop('SIGKILL');
    const restarted = await startKianax([], env);
    assert.equal((await fetch(`${restarted.url}/readyz`)).status, 200, restarted.log());
    assert.equal((await restarted.stop()).code, 0);

    // A postmaster.pid naming a process that is gone (as after a power cut).
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    writeFileSync(pidFile, '999999\n' + path.join(dataDir, 'pg') + '\n1700000000\n5432\n/tmp\n127.0.0.1\n  5432001  0\nready   \n');
    const afterStale = await startKianax([], env);
    assert.match(afterStale.log(), /stale postmaster\.pid/);
    assert.equal((await fetch(`${afterStale.url}/readyz`)).status, 200);
    assert.equal((await afterStale.stop()).code, 0);
  } finally {
    removeDir(dataDir);
  }
});

test('serve against an external database: ready only when migrations are current', async () => {
  const dataDir = tempDataDir();
  try {
    const env = { ...noDb, KIANAX_DATA_DIR: dataDir };
    const owner = await startKianax([], env);
    const socketDir = path.join(dataDir, 'run');
    const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
    const url = (db) => `postgresql://kianax_app_login@/${db}?host=${encodeURIComponent(socketDir)}&port=${port}`;

    const secret = { BETTER_AUTH_SECRET: 'e2e-cli-secret-0123456789abcdef0123' };  // serve requires one
    const serve = await startKianax(['serve'], { DATABASE_URL: url('kianax'), ...secret });
    assert.equal((await fetch(`${serve.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${serve.url}/readyz`)).status, 200, serve.log());
    assert.equal((await serve.stop()).code, 0);

    // The 'postgres' database has no migrations applied: the process lives, but is not ready.
    const unmigrated = await startKianax(['serve'], { DATABASE_URL: url('postgres'), ...secret });
    assert.equal((await fetch(`${unmigrated.url}/healthz`)).status, 200);
    const r = await fetch(`${unmigrated.url}/readyz`);
    assert.equal(r.status, 503);
    assert.match((await r.json()).reason, /migration/);
    assert.equal((await unmigrated.stop()).code, 0);
    await owner.stop();
  } finally {
    removeDir(dataDir);
  }
});
