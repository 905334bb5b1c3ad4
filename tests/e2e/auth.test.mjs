// Authentication with the real npm `better-auth` client (createAuthClient) against the real kianax binary
// and its embedded PostgreSQL: the full email/password flow, Better Auth's password hashes in both
// directions, forged cookies, origin rules, the PostgreSQL-backed rate limit across two processes, and the
// start-up rules for the cookie secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { scryptSync, randomBytes, createHash } from 'node:crypto';
import http from 'node:http';
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

// A local stand-in for Google's token and user-info endpoints. It checks what real Google checks: the client
// credentials, the redirect URI, and PKCE (SHA-256 of the code verifier must equal the challenge the
// browser brought to the authorization URL — the test registers each code with its challenge).
const google = { codes: new Map(), url: '', server: null, calls: [] };
function startFakeGoogle() {
  google.server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const send = (status, obj) => { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify(obj)); };
    google.calls.push(req.url);
    if (req.method === 'POST' && req.url === '/token') {
      const form = new URLSearchParams(body);
      const grant = google.codes.get(form.get('code'));
      const verifierOk = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge;
      if (!grant || !verifierOk || form.get('client_id') !== 'test-client' || form.get('client_secret') !== 'test-secret' ||
          form.get('redirect_uri') !== grant.redirectUri || form.get('grant_type') !== 'authorization_code') {
        return send(400, { error: 'invalid_grant' });
      }
      google.codes.delete(form.get('code'));
      return send(200, { access_token: `at-${grant.profile.sub}`, expires_in: 3599, scope: 'openid email profile', token_type: 'Bearer', id_token: 'fake.id.token' });
    }
    if (req.method === 'GET' && req.url === '/userinfo') {
      const auth = req.headers.authorization ?? '';
      for (const grant of google.issued ?? []) if (auth === `Bearer at-${grant.sub}`) return send(200, grant);
      return send(401, { error: 'invalid_token' });
    }
    send(404, {});
  });
  return new Promise((resolve) => google.server.listen(0, '127.0.0.1', () => {
    google.url = `http://127.0.0.1:${google.server.address().port}`;
    resolve();
  }));
}

before(async () => {
  await startFakeGoogle();
  dataDir = tempDataDir();
  server = await startKianax([], {
    DATABASE_URL: undefined,
    DIRECT_URL: undefined,
    BETTER_AUTH_SECRET: undefined,
    AUTH_SECRET: undefined,
    KIANAX_DATA_DIR: dataDir,
    KIANAX_TRUSTED_ORIGINS: ORIGIN,
    KIANAX_AUTH_RATE_LIMIT_MAX: '1000',
    GOOGLE_CLIENT_ID: 'test-client',
    GOOGLE_CLIENT_SECRET: 'test-secret',
    KIANAX_GOOGLE_AUTH_URL: `${google.url}/auth`,
    KIANAX_GOOGLE_TOKEN_URL: `${google.url}/token`,
    KIANAX_GOOGLE_USERINFO_URL: `${google.url}/userinfo`,
  });
  const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
  db = { host: path.join(dataDir, 'run'), port, user: 'kianax', db: 'kianax' };
});

after(async () => {
  await server?.stop();
  google.server?.close();
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

// The browser's part of the Google flow: ask our server where to go, "consent" at the provider (which
// issues a code bound to the PKCE challenge), then follow the provider's redirect back to our callback.
async function googleSignIn(tab, profile, { callbackURL = '/dashboard', tamperState = false } = {}) {
  const start = await tab.client.signIn.social({ provider: 'google', callbackURL });
  assert.equal(start.error, null, JSON.stringify(start.error));
  const url = new URL(start.data.url);
  assert.equal(`${url.origin}${url.pathname}`, `${google.url}/auth`);
  assert.equal(url.searchParams.get('client_id'), 'test-client');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.equal(url.searchParams.get('response_type'), 'code');
  const code = `code-${randomBytes(8).toString('hex')}`;
  google.codes.set(code, { challenge: url.searchParams.get('code_challenge'), redirectUri: url.searchParams.get('redirect_uri'), profile });
  (google.issued ??= []).push(profile);
  const state = tamperState ? 'x'.repeat(32) : url.searchParams.get('state');
  const cookie = [...tab.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  // The redirect URI names BETTER_AUTH_URL (here http://localhost:0, the port being picked at start); the
  // provider would send the browser there, so go to the same path on the real listener.
  const callback = new URL(url.searchParams.get('redirect_uri'));
  assert.equal(callback.pathname, '/api/auth/callback/google');
  return fetch(`${server.url}${callback.pathname}?code=${code}&state=${state}`, { redirect: 'manual', headers: { cookie } });
}

function takeCookies(tab, res) {
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(';')[0];
    const i = pair.indexOf('=');
    tab.jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
}

test('google: sign-in/social + callback against a fake provider creates the user, the account and a session', async () => {
  const tab = browser(server.url);
  const profile = { sub: `g-${Date.now()}`, email: `G${Date.now()}@Example.com`, email_verified: true, name: 'Gina', picture: 'https://example.com/g.png' };
  const res = await googleSignIn(tab, profile);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/dashboard');
  takeCookies(tab, res);
  const session = await tab.client.getSession();
  assert.equal(session.data.user.email, profile.email.toLowerCase());
  assert.equal(session.data.user.name, 'Gina');
  assert.equal(session.data.user.emailVerified, true);
  const rows = psql(db, `SELECT a.provider_id, a.account_id, a.access_token, a.scope FROM accounts a WHERE a.user_id = '${session.data.user.id}'`);
  assert.deepEqual(rows, [['google', profile.sub, `at-${profile.sub}`, 'openid,email,profile']]);

  // Signing in again finds the same user through the account.
  const again = browser(server.url);
  const res2 = await googleSignIn(again, profile);
  assert.equal(res2.status, 302);
  takeCookies(again, res2);
  assert.equal((await again.client.getSession()).data.user.id, session.data.user.id);
});

test('google: a wrong state, an unknown provider and an unverified local account are refused', async () => {
  const tab = browser(server.url);
  const bad = await googleSignIn(tab, { sub: 'g-x', email: 'x-google@example.com', email_verified: true }, { tamperState: true });
  assert.equal(bad.status, 302);
  assert.match(bad.headers.get('location'), /\/api\/auth\/error\?error=state_mismatch$/);
  assert.equal(bad.headers.getSetCookie().length, 0);

  const unknown = await tab.client.signIn.social({ provider: 'github' });
  assert.equal(unknown.error.status, 404);
  assert.equal(unknown.error.code, 'PROVIDER_NOT_FOUND');

  // A password user whose e-mail is not verified is not taken over by a Google login for the same address.
  const email = `pw${Date.now()}@example.com`;
  assert.equal((await browser(server.url).client.signUp.email({ name: 'P', email, password: PASSWORD })).error, null);
  const takeover = await googleSignIn(browser(server.url), { sub: `g-${Date.now()}-t`, email, email_verified: true });
  assert.equal(takeover.status, 302);
  assert.match(takeover.headers.get('location'), /error=account_not_linked/);
  assert.deepEqual(psql(db, `SELECT count(*) FROM accounts a JOIN users u ON u.id = a.user_id WHERE u.email = '${email}' AND a.provider_id = 'google'`), [['0']]);
});

test('google: a form_post callback is redirected to the same URL as a GET', async () => {
  const res = await fetch(`${server.url}/api/auth/callback/google`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'code=a%2Fb+c&state=S1\r\nX-Injected: 1',
  });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location'));
  assert.equal(location.pathname, '/api/auth/callback/google');
  assert.equal(location.searchParams.get('code'), 'a/b c');
  assert.equal(location.searchParams.get('state'), 'S1\r\nX-Injected: 1');
  assert.equal(res.headers.get('x-injected'), null);
});
