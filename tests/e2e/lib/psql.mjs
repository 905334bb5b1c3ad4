// Runs SQL through Debian's psql (no npm driver needed): rows as arrays of strings.
import { spawnSync } from 'node:child_process';

export function psql(conn, sql, { allowError = false } = {}) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', conn.host, '-p',
    String(conn.port), '-U', conn.user, '-d', conn.db, '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0 && !allowError) throw new Error(`psql failed: ${r.stderr}`);
  if (allowError) return { ok: r.status === 0, stderr: r.stderr, rows: parse(r.stdout) };
  return parse(r.stdout);
}

export function psqlFile(conn, file) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', conn.host, '-p', String(conn.port), '-U',
    conn.user, '-d', conn.db, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql -f ${file} failed: ${r.stderr}`);
}

function parse(out) {
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}
