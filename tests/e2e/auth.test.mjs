// Authentication with the real npm `better-auth` client (createAuthClient) against the real kianax binary
// and its embedded PostgreSQL: the full email/password flow, Better Auth's password hashes in both
// directions, forged cookies, origin rules, the PostgreSQL-backed rate limit across two processes, and the
// start-up rules for the cookie secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { scryptSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { createAuthClient } from 'better-auth/client';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { runKianax, startKianax, tempDataDir, removeDir } from './lib/kianax.mjs';
import { psql } from './lib/psql.mjs';

const ORIGIN = 'http://app.test';
const PASSWORD = 'correct horse battery staple';

// A client with its own cookie jar, as a browser tab would have. Node's fetch sends Sec-Fetch-Mode, so an
// Origin is required on sign-in (wire-protocols §2.7); browsers always send one.
function browser(baseURL, { origin = ORIGIN, extraHeaders = {} } = {}) {
  const jar = new Map();
  const customFetchImpl = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (origin) headers.set('origin', origin);
    for (const [k, v] of Object.entries(extraHeaders)) headers.set(k, v);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0];
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /Max-Age=0/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const client = createAuthClient({ baseURL: `${baseURL}/api/auth`, fetchOptions: { customFetchImpl } });
  return { client, jar };
}

let dataDir;
let server;
let db;

before(async () => {
  dataDir = tempDataDir();
  server = await startKianax([], {
    DATABASE_URL: undefined,
    DIRECT_URL: undefined,
    BETTER_AUTH_SECRET: undefined,
    AUTH_SECRET: undefined,
    KIANAX_DATA_DIR: dataDir,
    KIANAX_TRUSTED_ORIGINS: ORIGIN,
    KIANAX_AUTH_RATE_LIMIT_MAX: '1000',
  });
  const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
  db = { host: path.join(dataDir, 'run'), port, user: 'kianax', db: 'kianax' };
});

after(async () => {
  await server?.stop();
  if (dataDir) removeDir(dataDir);
});

test('all-in-one generates its cookie secret once, private to the owner', () => {
  const file = path.join(dataDir, 'auth-secret');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(readFileSync(file, 'utf8').trim(), /^[0-9a-f]{64}$/);
});

test('the better-auth client: sign up, sign in, sessions, revoke, sign out', async () => {
  const email = `alice${Date.now()}@example.com`;
  const tab = browser(server.url);
  const up = await tab.client.signUp.email({ name: 'Alice', email, password: PASSWORD });
  assert.equal(up.error, null, JSON.stringify(up.error));
  assert.equal(up.data.user.email, email);
  assert.ok(up.data.user.createdAt instanceof Date, 'dates are ISO strings the client parses');
  assert.equal(up.data.token.length, 32);
  assert.ok(tab.jar.has('better-auth.session_token'));

  const dup = await browser(server.url).client.signUp.email({ name: 'Alice', email, password: PASSWORD });
  assert.equal(dup.error.status, 422);
  assert.equal(dup.error.code, 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL');

  const other = browser(server.url);
  const wrong = await other.client.signIn.email({ email, password: 'not the password' });
  assert.equal(wrong.error.status, 401);
  assert.equal(wrong.error.code, 'INVALID_EMAIL_OR_PASSWORD');
  const unknown = await other.client.signIn.email({ email: `nobody-${email}`, password: PASSWORD });
  assert.equal(unknown.error.status, 401);
  assert.equal(unknown.error.code, 'INVALID_EMAIL_OR_PASSWORD');
  assert.equal((await other.client.getSession()).data, null);

  const inn = await other.client.signIn.email({ email: email.toUpperCase(), password: PASSWORD });
  assert.equal(inn.error, null, JSON.stringify(inn.error));
  assert.equal(inn.data.user.id, up.data.user.id);

  const session = await other.client.getSession();
  assert.equal(session.data.user.id, up.data.user.id);
  assert.equal(session.data.session.userId, up.data.user.id);
  assert.ok(session.data.session.expiresAt > new Date(Date.now() + 6 * 24 * 3600 * 1000));

  const list = await other.client.listSessions();
  assert.equal(list.error, null, JSON.stringify(list.error));
  assert.deepEqual(list.data.map((s) => s.token).sort(), [up.data.token, inn.data.token].sort());

  // Revoke the first tab's session from the second: the first tab is signed out.
  const revoked = await other.client.revokeSession({ token: up.data.token });
  assert.equal(revoked.error, null, JSON.stringify(revoked.error));
  assert.equal((await tab.client.getSession()).data, null);
  assert.equal((await other.client.listSessions()).data.length, 1);

  const out = await other.client.signOut();
  assert.equal(out.error, null, JSON.stringify(out.error));
  assert.equal(out.data.success, true);
  assert.equal((await other.client.getSession()).data, null);
  // The row is gone too, not just the cookie.
  assert.deepEqual(psql(db, `SELECT count(*) FROM sessions WHERE token = '${inn.data.token}'`), [['0']]);
});

test('a forged or tampered session cookie is anonymous', async () => {
  const email = `mallory${Date.now()}@example.com`;
  const tab = browser(server.url);
  const up = await tab.client.signUp.email({ name: 'M', email, password: PASSWORD });
  assert.equal(up.error, null);
  const genuine = tab.jar.get('better-auth.session_token');
  const [token] = decodeURIComponent(genuine).split('.');
  const forgedSig = Buffer.from(randomBytes(32)).toString('base64');
  for (const value of [encodeURIComponent(`${token}.${forgedSig}`), token, genuine.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))]) {
    tab.jar.set('better-auth.session_token', value);
    assert.equal((await tab.client.getSession()).data, null, value);
  }
  tab.jar.set('better-auth.session_token', genuine);
  assert.equal((await tab.client.getSession()).data.user.email, email);
});

test('foreign origins and open redirects are refused', async () => {
  const evil = browser(server.url, { origin: 'https://evil.example' });
  const r = await evil.client.signUp.email({ name: 'E', email: `e${Date.now()}@example.com`, password: PASSWORD });
  assert.equal(r.error.status, 403);
  assert.equal(r.error.code, 'INVALID_ORIGIN');
  const tab = browser(server.url);
  const redirect = await tab.client.signIn.email({ email: 'x@example.com', password: PASSWORD, callbackURL: '//evil.example' });
  assert.equal(redirect.error.status, 403);
  assert.equal(redirect.error.code, 'INVALID_CALLBACK_URL');
});

test('passwords: a hash made by better-auth verifies here, and ours verifies in better-auth', async () => {
  // A user migrated from a Better Auth deployment: the account row holds better-auth's own hash.
  const id = `migrated${Date.now()}`;
  const email = `${id}@example.com`;
  const theirs = await hashPassword(PASSWORD);
  psql(db, `INSERT INTO users (id, name, email) VALUES ('${id}', 'Migrated', '${email}')`);
  psql(db, `INSERT INTO accounts (id, user_id, account_id, provider_id, password)
            VALUES ('${id}-acc', '${id}', '${id}', 'credential', '${theirs}')`);
  const tab = browser(server.url);
  const inn = await tab.client.signIn.email({ email, password: PASSWORD });
  assert.equal(inn.error, null, JSON.stringify(inn.error));
  assert.equal(inn.data.user.id, id);

  // The other direction: a hash this server wrote, checked by better-auth and by a plain node scrypt.
  const email2 = `ours${Date.now()}@example.com`;
  const up = await browser(server.url).client.signUp.email({ name: 'Ours', email: email2, password: PASSWORD });
  assert.equal(up.error, null);
  const [[ours]] = psql(db, `SELECT a.password FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = '${email2}'`);
  assert.equal(await verifyPassword({ hash: ours, password: PASSWORD }), true);
  assert.equal(await verifyPassword({ hash: ours, password: `${PASSWORD}!` }), false);
  const [salt, key] = ours.split(':');
  const again = scryptSync(PASSWORD.normalize('NFKC'), salt, 64, { N: 16384, r: 16, p: 1, maxmem: 64 * 1024 * 1024 });
  assert.equal(again.toString('hex'), key);
});

test('rate limit: sign-in is limited per client across server processes (429)', async () => {
  // Two `serve` processes on the same database and secret, with Better Auth's default 3 per 10 s. Both
  // count in PostgreSQL, so requests spread over them share one budget. They trust X-Forwarded-For (as
  // behind a proxy) so this test's client has an address of its own: the earlier tests' sign-ins from
  // 127.0.0.1 are counted in the same table.
  const secret = readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim();
  const url = `postgresql://kianax_app_login@/kianax?host=${encodeURIComponent(path.join(dataDir, 'run'))}&port=${db.port}`;
  const env = { DATABASE_URL: url, BETTER_AUTH_SECRET: secret, KIANAX_TRUSTED_ORIGINS: ORIGIN, KIANAX_TRUST_PROXY: '1' };
  const client = { extraHeaders: { 'x-forwarded-for': `203.0.113.${Date.now() % 250}` } };
  const a = await startKianax(['serve'], env);
  const b = await startKianax(['serve'], env);
  try {
    const statuses = [];
    for (const s of [a, b, a, b]) {
      const r = await browser(s.url, client).client.signIn.email({ email: 'limited@example.com', password: PASSWORD });
      statuses.push(r.error.status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    // A session made by the all-in-one process is valid on a serve process: same secret, same table.
    const tab = browser(server.url);
    await tab.client.signUp.email({ name: 'S', email: `shared${Date.now()}@example.com`, password: PASSWORD });
    const onServe = await fetch(`${a.url}/api/auth/get-session`, {
      headers: { cookie: `better-auth.session_token=${tab.jar.get('better-auth.session_token')}` },
    });
    assert.notEqual(await onServe.json(), null);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('serve without BETTER_AUTH_SECRET refuses to start, in one line', () => {
  const url = `postgresql://kianax_app_login@/kianax?host=${encodeURIComponent(path.join(dataDir, 'run'))}&port=${db.port}`;
  const r = runKianax(['serve'], { DATABASE_URL: url, BETTER_AUTH_SECRET: undefined, AUTH_SECRET: undefined, PORT: '0' });
  assert.notEqual(r.status, 0);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('kianax: error:'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /BETTER_AUTH_SECRET/);
});

test('no password or secret appears in the logs', () => {
  const secret = readFileSync(path.join(dataDir, 'auth-secret'), 'utf8').trim();
  const log = server.log();
  assert.ok(log.length > 0);
  assert.doesNotMatch(log, new RegExp(PASSWORD));
  assert.ok(!log.includes(secret));
});
