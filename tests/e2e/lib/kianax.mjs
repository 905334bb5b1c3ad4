// Spawns the real kianax binary and talks to it over loopback. Every process started here is stopped by the
// test that started it (or at exit), and every data dir is a fresh temporary directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const KIANAX_BIN = process.env.KIANAX_BIN ?? path.resolve(import.meta.dirname, '../../../build/src/cli/kianax');

const live = new Set();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function tempDataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kianax-e2e-'));
  chmodSync(dir, 0o711);
  return dir;
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// The scale-out roles require the credential encryption key (the all-in-one generates its own): give them a
// fixed test key unless a test overrides or removes it.
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');

function baseEnv(extra, args = []) {
  const roleDefaults = ['serve', 'worker'].includes(args[0]) ? { KIANAX_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY } : {};
  const env = { ...process.env, KIANAX_LOG: 'info', ...roleDefaults, ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

// Runs kianax to completion: {status, stdout, stderr}.
export function runKianax(args, env = {}, timeoutMs = 120_000) {
  const r = spawnSync(KIANAX_BIN, args, { env: baseEnv(env, args), encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

// Starts a long-running kianax (all-in-one or serve) with PORT=0 and waits until it logs its URL.
export async function startKianax(args, env = {}, timeoutMs = 120_000) {
  const child = spawn(KIANAX_BIN, args, { env: baseEnv({ PORT: '0', ...env }, args), stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { live.delete(child); resolve({ code, signal }); }));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kianax did not start in time:\n${stderr}`)), timeoutMs);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const m = stderr.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    exited.then(({ code, signal }) => { clearTimeout(timer); reject(new Error(`kianax exited (${code ?? signal}) before listening:\n${stderr}`)); });
  });
  return {
    url,
    child,
    exited,
    log: () => stderr,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
