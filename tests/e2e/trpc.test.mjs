// The tRPC API with the real npm `@trpc/client` (httpLink, httpBatchLink, httpBatchStreamLink; no
// transformer) against the real all-in-one kianax: a user signed up through the real `better-auth` client
// creates a routine, starts it, and the all-in-one's worker runs it to completion through the durable queue.
// Ownership: a second user gets NOT_FOUND for the first one's routine; bad input is a BAD_REQUEST.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTRPCClient, httpLink, httpBatchLink, httpBatchStreamLink, TRPCClientError } from '@trpc/client';
import { createAuthClient } from 'better-auth/client';
import { startKianax, tempDataDir, removeDir } from './lib/kianax.mjs';

const ORIGIN = 'http://app.test';
let server;
let dataDir;

before(async () => {
  dataDir = tempDataDir();
  server = await startKianax([], {
    DATABASE_URL: undefined, DIRECT_URL: undefined, BETTER_AUTH_SECRET: undefined, KIANAX_ENCRYPTION_KEY: undefined,
    KIANAX_DATA_DIR: dataDir, KIANAX_TRUSTED_ORIGINS: ORIGIN, KIANAX_AUTH_RATE_LIMIT_MAX: '1000',
  });
});

after(async () => {
  await server?.stop();
  if (dataDir) removeDir(dataDir);
});

// Signs a new user up with the better-auth client and returns the session cookie it was given.
async function signUp(name) {
  let cookie = '';
  const customFetchImpl = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', ORIGIN);
    const res = await fetch(input, { ...init, headers });
    for (const line of res.headers.getSetCookie()) if (line.startsWith('better-auth.session_token=')) cookie = line.split(';')[0];
    return res;
  };
  const auth = createAuthClient({ baseURL: `${server.url}/api/auth`, fetchOptions: { customFetchImpl } });
  const r = await auth.signUp.email({ name, email: `${name}${Date.now()}@example.com`, password: 'correct horse battery staple' });
  assert.equal(r.error, null, JSON.stringify(r.error));
  assert.ok(cookie, 'session cookie set');
  return cookie;
}

function client(cookie, link = httpLink) {
  return createTRPCClient({ links: [link({ url: `${server.url}/api/trpc`, headers: () => (cookie ? { cookie } : {}) })] });
}

const routineInput = {
  name: 'Greeting',
  status: 'active',
  triggerType: 'manual',
  nodes: [
    { id: 'data', pluginId: 'static-data', label: 'Data', position: { x: 0, y: 0 }, config: { data: { who: 'world' } } },
    { id: 'check', pluginId: 'if-else', label: 'Check', position: { x: 200, y: 0 },
      config: { conditionGroups: [{ conditions: [{ field: 'who', operator: 'equals', value: 'world' }] }] } },
  ],
  connections: [{ id: 'c1', sourceNodeId: 'data', targetNodeId: 'check', sourceHandle: 'output', targetHandle: 'input' }],
};

async function waitForTerminal(api, executionId) {
  for (let i = 0; i < 600; i++) {
    const e = await api.executions.get.query({ id: executionId });
    if (!['pending', 'running'].includes(e.status)) return e;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('execution did not finish within 60 s');
}

test('a signed-up user creates, lists and runs a routine through @trpc/client; the worker completes it', async () => {
  const alice = client(await signUp('alice'));
  const created = await alice.routines.create.mutate(routineInput);
  const id = typeof created === 'string' ? created : created.id ?? created._id;
  assert.ok(id, JSON.stringify(created));

  const got = await alice.routines.get.query({ id });
  assert.equal(got.name, 'Greeting');
  assert.equal(got.nodes.length, 2);
  assert.equal(typeof got._creationTime, 'number', 'timestamps are epoch ms');

  const list = await client(await signUp('x')).routines.list.query({});
  assert.equal(list.items.length, 0, 'another user sees none of them');

  const started = await alice.executions.start.mutate({ routineId: id });
  assert.match(started.workflowId, new RegExp(`^manual-${id}-\\d+$`));
  const done = await waitForTerminal(alice, started.executionId);
  assert.equal(done.status, 'completed', JSON.stringify(done));
  assert.deepEqual(done.nodeStates.map((n) => [n.nodeId, n.status]), [['data', 'completed'], ['check', 'completed']]);

  const history = await alice.executions.listByRoutine.query({ routineId: id });
  assert.equal(history.items.length, 1);
  assert.equal(history.items[0].status, 'completed');
});

test('batching and streaming links, ownership and the error envelope as @trpc/client sees them', async () => {
  const aliceCookie = await signUp('alice2');
  const id = (await client(aliceCookie).routines.create.mutate(routineInput));
  const routineId = typeof id === 'string' ? id : id.id ?? id._id;

  for (const link of [httpBatchLink, httpBatchStreamLink]) {
    const api = client(aliceCookie, link);
    const [settings, plugins, routine] = await Promise.all([
      api.settings.get.query(), api.plugins.list.query(), api.routines.get.query({ id: routineId }),
    ]);
    assert.ok(['light', 'dark', 'system'].includes(settings.theme));
    assert.ok(plugins.some((p) => p.id === 'if-else'), 'plugin metadata listed');
    assert.equal(routine.name, 'Greeting');
  }

  const bob = client(await signUp('bob'));
  await assert.rejects(bob.routines.get.query({ id: routineId }), (e) => e instanceof TRPCClientError && e.data?.code === 'NOT_FOUND');
  await assert.rejects(bob.executions.start.mutate({ routineId }), (e) => e.data?.code === 'NOT_FOUND');
  await assert.rejects(client('').routines.list.query({}), (e) => e.data?.code === 'UNAUTHORIZED' && e.data?.httpStatus === 401);
  await assert.rejects(client(aliceCookie).routines.create.mutate({ ...routineInput, status: 'bogus' }),
    (e) => e.data?.code === 'BAD_REQUEST' && e.data?.httpStatus === 400);

  // An invalid graph is refused at start with the validator's message, and nothing runs.
  const broken = await client(aliceCookie).routines.create.mutate({ ...routineInput, name: 'Broken',
    connections: [{ id: 'c9', sourceNodeId: 'data', targetNodeId: 'nowhere' }] });
  const brokenId = typeof broken === 'string' ? broken : broken.id ?? broken._id;
  await assert.rejects(client(aliceCookie).executions.start.mutate({ routineId: brokenId }),
    (e) => e.data?.code === 'BAD_REQUEST' && /Invalid routine graph/.test(e.message));
});
