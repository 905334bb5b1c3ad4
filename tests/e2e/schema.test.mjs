// Contract 1: the schema is exactly the seed's §3.2 (what drizzle-kit generates from the seed's schema.ts),
// plus only our additions (legacy_id + its unique constraint), with forced RLS and a non-bypassing app role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKianax, tempDataDir, removeDir } from './lib/kianax.mjs';
import { psql, psqlFile } from './lib/psql.mjs';

const seedTables = ['routines', 'routine_executions', 'user_credentials', 'user_settings'];

function generateDrizzleSql() {
  const out = mkdtempSync(path.join(tmpdir(), 'drizzle-out-'));
  const r = spawnSync('npx', ['--no-install', 'drizzle-kit', 'generate', '--config', 'drizzle.config.ts'], {
    cwd: path.join(import.meta.dirname, 'drizzle'), env: { ...process.env, DRIZZLE_OUT: out }, encoding: 'utf8' });
  assert.equal(r.status, 0, `drizzle-kit generate failed: ${r.stderr}${r.stdout}`);
  const files = readdirSync(out).filter((f) => f.endsWith('.sql'));
  assert.equal(files.length, 1);
  return path.join(out, files[0]);
}

function describe(conn) {
  const inList = seedTables.map((t) => `'${t}'`).join(',');
  return {
    columns: psql(conn, `SELECT table_name, column_name, data_type, coalesce(character_maximum_length::text, ''),
        is_nullable, coalesce(column_default, ''), udt_name FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name IN (${inList}) AND column_name <> 'legacy_id'
        ORDER BY table_name, column_name`),
    indexes: psql(conn, `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        AND tablename IN (${inList}) AND indexname NOT LIKE '%legacy_id%' ORDER BY tablename, indexname`),
    constraints: psql(conn, `SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid::regclass::text IN (${inList}) AND conname NOT LIKE '%legacy_id%' ORDER BY 1, 2`),
    enums: psql(conn, `SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_type t
        JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`),
  };
}

test('schema matches drizzle-kit output for the seed schema.ts; RLS forced; app role cannot bypass', async () => {
  const dataDir = tempDataDir();
  const k = await startKianax([], { DATABASE_URL: undefined, DIRECT_URL: undefined, KIANAX_DATA_DIR: dataDir });
  try {
    const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3].trim();
    const ours = { host: path.join(dataDir, 'run'), port, user: 'kianax', db: 'kianax' };
    psql({ ...ours, db: 'postgres' }, 'CREATE DATABASE drizzle_reference');
    const reference = { ...ours, db: 'drizzle_reference' };
    psqlFile(reference, generateDrizzleSql());

    const a = describe(ours);
    const b = describe(reference);
    assert.ok(a.columns.length >= 40, 'all seed columns are described');
    assert.deepEqual(a.columns, b.columns);
    assert.deepEqual(a.indexes, b.indexes);
    assert.deepEqual(a.constraints, b.constraints);
    assert.deepEqual(a.enums, b.enums);

    // Only legacy_id is added to the seed's tables, and it is unique.
    const extra = psql(ours, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema='public' AND table_name IN ('routines','routine_executions','user_credentials','user_settings')
        AND column_name = 'legacy_id' ORDER BY 1`);
    assert.deepEqual(extra, seedTables.slice().sort().map((t) => [t, 'legacy_id', 'text', 'YES']));

    // RLS: enabled and forced on every user-owned table, with the seed's policies.
    const rls = psql(ours, `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE relnamespace = 'public'::regnamespace AND relname IN ('routines','routine_executions','user_credentials','user_settings','users','sessions','accounts')
        ORDER BY relname`);
    assert.equal(rls.length, 7);
    for (const [name, enabled, forced] of rls) assert.deepEqual([enabled, forced], ['t', 't'], name);
    const policies = psql(ours, `SELECT tablename, policyname, qual FROM pg_policies WHERE tablename IN
        ('routines','routine_executions','user_credentials','user_settings') ORDER BY tablename`);
    assert.equal(policies.length, 4);
    for (const [, , qual] of policies) assert.match(qual, /current_setting\('app\.current_user_id'::text, true\)/);

    // The role the server connects as: not a superuser, no BYPASSRLS, owns nothing, member of kianax_app.
    const role = psql(ours, `SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
        pg_has_role('kianax_app_login', 'kianax_app', 'member') FROM pg_roles WHERE rolname = 'kianax_app_login'`);
    assert.deepEqual(role, [['f', 'f', 'f', 'f', 't']]);
    const owned = psql(ours, `SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE r.rolname IN ('kianax_app', 'kianax_app_login')`);
    assert.deepEqual(owned, [['0']]);

    // Through the app role, with no user context, nothing is visible even though rows exist.
    psql(ours, `INSERT INTO routines (user_id, name) VALUES ('user-a', 'secret routine')`);
    const app = { ...ours, user: 'kianax_app_login' };
    assert.deepEqual(psql(app, 'SELECT count(*) FROM routines'), [['0']]);
    assert.deepEqual(psql(app, `BEGIN; SELECT set_config('app.current_user_id', 'user-a', true);
        SELECT count(*) FROM routines; COMMIT`).slice(-1), [['1']]);
    const ddl = psql(app, 'ALTER TABLE routines DISABLE ROW LEVEL SECURITY', { allowError: true });
    assert.equal(ddl.ok, false);
    assert.match(ddl.stderr, /must be owner/);
  } finally {
    await k.stop();
    removeDir(dataDir);
  }
});
