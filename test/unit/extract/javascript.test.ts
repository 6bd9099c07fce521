import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtractors, mapToHost } from '../../../server/engine/extract';
import { assertMaps, callText, extract, hostTextOf, regionWith } from './helpers';

before(loadExtractors);

describe('JS/TS: calls', () => {
  it('finds node-postgres pool.query / client.query string arguments', () => {
    const text = [
      "import { Pool } from 'pg';",
      'const pool = new Pool();',
      'export async function findUser(id: number) {',
      "  const { rows } = await pool.query('SELECT id, email FROM users WHERE id = $1', [id]);",
      '  const client = await pool.connect();',
      '  await client.query("UPDATE users SET last_seen = now() WHERE id = $1", [id]);',
      '  return rows[0];',
      '}',
    ].join('\n');
    const rs = extract(text, 'typescript');
    assert.equal(rs.length, 2);
    const [sel, upd] = rs;
    assert.equal(sel.sql, 'SELECT id, email FROM users WHERE id = $1');
    assert.equal(sel.origin, 'call-argument');
    assert.equal(sel.knownCall, true);
    assert.equal(sel.callName, 'pool.query');
    assert.equal(callText(text, sel), 'pool.query');
    assert.equal(sel.segments, undefined);
    assert.equal(sel.loop, undefined);
    assertMaps(text, sel, 'FROM', 'users', '$1');
    assert.equal(upd.callName, 'client.query');
    assertMaps(text, upd, 'SET', 'now()');
  });

  it('replaces template interpolations by same-width placeholders', () => {
    const text = "await client.query(`SELECT * FROM users WHERE email = '${email}' AND org_id = ${org.id} LIMIT ${n}`);";
    const [r] = extract(text, 'typescript');
    assert.equal(r.sql, `SELECT * FROM users WHERE email = '${'$1'.padEnd(8)}' AND org_id = ${'$2'.padEnd(9)} LIMIT ${'$3'.padEnd(4)}`);
    assert.equal(r.segments, undefined, 'no table needed: 1:1 mapping');
    assert.equal(r.sql.length, text.lastIndexOf('`') - text.indexOf('`') - 1);
    assert.equal(text.slice(mapToHost(r, r.sql.indexOf('$2')), mapToHost(r, r.sql.indexOf('$2')) + 9), '${org.id}');
    assertMaps(text, r, 'LIMIT', 'AND org_id');
  });

  it('finds Prisma $queryRaw tagged templates, typed ones, Prisma.sql and $executeRawUnsafe', () => {
    const text = [
      'async function load(prisma: PrismaClient, id: string, ids: string[]) {',
      '  const a = await prisma.$queryRaw`SELECT * FROM "User" WHERE id = ${id}`;',
      '  const b = await prisma.$queryRaw<User[]>`SELECT name FROM "User" WHERE id IN (${Prisma.join(ids)})`;',
      "  const c = Prisma.sql`SELECT count(*) FROM \"Post\"`;",
      "  await prisma.$executeRawUnsafe('DELETE FROM \"Session\" WHERE expires < now()');",
      '}',
    ].join('\n');
    const rs = extract(text, 'typescript');
    assert.deepEqual(
      rs.map((r) => [r.origin, r.callName, r.knownCall]),
      [
        ['tagged-template', 'prisma.$queryRaw', true],
        ['tagged-template', 'prisma.$queryRaw', true],
        ['tagged-template', 'Prisma.sql', true],
        ['call-argument', 'prisma.$executeRawUnsafe', true],
      ],
    );
    assert.equal(rs[1].sql, `SELECT name FROM "User" WHERE id IN (${'$1'.padEnd('${Prisma.join(ids)}'.length)})`);
    assert.equal(callText(text, rs[1]), 'prisma.$queryRaw');
    for (const r of rs) assertMaps(text, r, 'FROM');
  });

  it('finds sql tags (postgres.js, slonik), also with type arguments, and demotes nested fragments', () => {
    const text = [
      "import postgres from 'postgres';",
      'const sql = postgres();',
      'export async function search(term: string, active?: boolean) {',
      '  const filter = active ? sql`AND active = ${active}` : sql``;',
      '  const users = await sql<User[]>`SELECT * FROM users WHERE name ILIKE ${term} ${filter}`;',
      '  const one = await sql`SELECT 1 FROM users ${sql`WHERE id = ${1}`}`;',
      '  return users;',
      '}',
    ].join('\n');
    const rs = extract(text, 'typescript');
    const frag = regionWith(rs, 'AND active');
    assert.equal(frag.origin, 'tagged-template');
    assert.equal(frag.knownCall, false, 'a fragment is not a statement: no syntax errors');
    const users = regionWith(rs, 'ILIKE');
    assert.equal(users.knownCall, true);
    assert.equal(users.callName, 'sql');
    assertMaps(text, users, 'FROM users', 'ILIKE');
    const nested = regionWith(rs, 'WHERE id');
    assert.equal(nested.knownCall, false);
    assert.equal(regionWith(rs, 'SELECT 1').knownCall, true);
  });

  it('joins + concatenation of literals with placeholders for operands and maps across pieces', () => {
    const text = [
      'const rows = await db.query(',
      "  'SELECT id, total ' +",
      '    "FROM orders " +',
      "    'WHERE customer_id = ' + customerId + ` AND status = 'open'`,",
      ');',
    ].join('\n');
    const [r] = extract(text, 'javascript');
    assert.equal(r.sql, `SELECT id, total FROM orders WHERE customer_id = ${'$1'.padEnd(10)} AND status = 'open'`);
    assert.ok(r.segments, 'pieces need a table');
    assert.equal(r.hostStart, text.indexOf('SELECT'));
    assertMaps(text, r, 'SELECT', 'FROM orders', 'WHERE customer_id', "AND status = 'open'");
    assert.equal(hostTextOf(text, r, '$1'.padEnd(10)), 'customerId');
    assert.equal(mapToHost(r, r.sql.length), text.lastIndexOf('`'));
  });

  it('reads the text of a query config object and ternaries', () => {
    const text = [
      "const res = await pool.query({ name: 'fetch-user', text: 'SELECT * FROM users WHERE id = $1', values: [1] });",
      "await pool.query(admin ? 'SELECT * FROM users' : 'SELECT id FROM users WHERE public');",
    ].join('\n');
    const rs = extract(text, 'javascript');
    assert.equal(rs.length, 3);
    assert.ok(rs.every((r) => r.origin === 'call-argument' && r.callName === 'pool.query'));
    assertMaps(text, rs[0], 'WHERE id = $1');
  });

  it('takes a SQL variable passed to a known call, also from module scope, and does not report it twice', () => {
    const text = [
      "const COUNT_SQL = 'SELECT count(*) FROM orders WHERE customer_id = $1';",
      'export async function summary(pool, id) {',
      '  const q = `',
      '    SELECT o.id, o.total',
      '    FROM orders o',
      '    WHERE o.customer_id = $1`;',
      '  const { rows } = await pool.query(q, [id]);',
      '  const count = await pool.query(COUNT_SQL, [id]);',
      '  return { rows, count };',
      '}',
    ].join('\n');
    const rs = extract(text, 'javascript');
    assert.equal(rs.length, 2);
    const q = regionWith(rs, 'o.total');
    assert.equal(q.origin, 'variable');
    assert.equal(q.knownCall, true);
    assert.equal(q.callName, 'pool.query');
    assert.equal(callText(text, q), 'pool.query');
    assert.ok(q.callStart > text.indexOf('const { rows }'));
    assertMaps(text, q, 'FROM orders o', 'WHERE');
    const c = regionWith(rs, 'count(*)');
    assert.equal(c.origin, 'variable');
    assert.ok(c.callStart > text.indexOf('const count'));
  });

  it('reports a loose SQL string with knownCall false and ignores prose', () => {
    const text = [
      "const REPORT = 'SELECT status, count(*) FROM orders GROUP BY status';",
      "const label = 'Select an option';",
      "const help = 'Update your profile';",
      "$('#total').text('Total: 3');",
      "cache.get('users:1');",
      "el.querySelector('select');",
      "console.log('delete me');",
    ].join('\n');
    const rs = extract(text, 'typescript');
    assert.equal(rs.length, 1);
    assert.equal(rs[0].origin, 'string');
    assert.equal(rs[0].knownCall, false);
    assert.equal(rs[0].callName, '');
    assert.equal(text.slice(rs[0].callStart, rs[0].callEnd), "'SELECT status, count(*) FROM orders GROUP BY status'");
    assertMaps(text, rs[0], 'GROUP BY');
  });

  it('keeps a misspelt statement as a known call (so the syntax error is reported) but not non-SQL arguments', () => {
    const text = "await db.query('SELEC * FROM users');\nel.text('Hello world');\nrouter.query('page');";
    const rs = extract(text, 'typescript');
    assert.equal(rs.length, 1);
    assert.equal(rs[0].sql, 'SELEC * FROM users');
    assert.equal(rs[0].knownCall, true);
  });

  it('a template starting with an interpolation is SQL of a known call, but not syntax-checked', () => {
    const text = 'await db.query(`${base} WHERE id = $1`, [id]);';
    const [r] = extract(text, 'typescript');
    assert.equal(r.sql, '$1      WHERE id = $1');
    assert.equal(r.knownCall, false);
  });

  it('decodes escapes and maps through them', () => {
    const text = String.raw`await db.query('SELECT \'it\'\'s\' AS a,\n  "b" FROM t WHERE x = \u0041\
 AND y = 1');`;
    const [r] = extract(text, 'javascript');
    assert.equal(r.sql, "SELECT 'it''s' AS a,\n  \"b\" FROM t WHERE x = A AND y = 1");
    assert.ok(r.segments);
    assertMaps(text, r, 'SELECT', 'AS a,', 'FROM t', 'AND y = 1');
    assert.equal(hostTextOf(text, r, "'it''s'"), String.raw`\'it\'\'s\'`);
    assert.equal(hostTextOf(text, r, '\n'), '\\n');
    assert.equal(hostTextOf(text, r, 'A', r.sql.indexOf('= A') + 2), '\\u0041');
    assert.equal(mapToHost(r, r.sql.length), text.lastIndexOf("'"));
  });

  it('rewrites :name parameters (knex, Sequelize) but not casts', () => {
    const text = "await knex.raw('SELECT id::text FROM users WHERE id = :id AND org = :orgId', { id, orgId });";
    const [r] = extract(text, 'javascript');
    assert.equal(r.sql, 'SELECT id::text FROM users WHERE id = $1  AND org = $2    ');
    assert.equal(r.callName, 'knex.raw');
  });

  it('sees through dedent tags, optional chaining and TS wrappers', () => {
    const text = [
      'await db?.query(dedent`',
      '  SELECT * FROM users',
      '`);',
      'await db.query((sqlText as string)!);',
      "const sqlText = 'SELECT 1 FROM t';",
    ].join('\n');
    const rs = extract(text, 'typescript');
    const r = regionWith(rs, 'FROM users');
    assert.equal(r.callName, 'db.query');
    assertMaps(text, r, 'FROM users');
    // declared after the call: not bound to it, so only a loose string
    assert.equal(regionWith(rs, 'FROM t').origin, 'string');
  });

  it('uses the configured call list: plain names and dotted names', () => {
    const text = "runSql('SELECT 1 FROM a'); knex.raw('SELECT 2 FROM b'); other.raw('SELECT 3 FROM c'); db.query('SELECT 4 FROM d');";
    const rs = extract(text, 'javascript', ['runSql', 'knex.raw']);
    assert.deepEqual(
      rs.map((r) => [r.callName, r.origin]),
      [
        ['runSql', 'call-argument'],
        ['knex.raw', 'call-argument'],
        ['', 'string'],
        ['', 'string'],
      ],
    );
  });

  it('parses JSX and TSX hosts', () => {
    const jsx = "export function List() { useEffect(() => { db.query('SELECT * FROM items'); }); return <ul className=\"x\">{items}</ul>; }";
    const tsx = "export const List: FC<Props> = ({ id }) => { void db.query<Item>(`SELECT * FROM items WHERE id = ${id}`); return <div>{id}</div>; };";
    assert.equal(extract(jsx, 'javascriptreact')[0].sql, 'SELECT * FROM items');
    assert.equal(extract(tsx, 'typescriptreact')[0].sql, 'SELECT * FROM items WHERE id = $1   ');
  });
});

describe('JS/TS: loops', () => {
  const loopOf = (text: string) => {
    const rs = extract(text, 'typescript');
    assert.equal(rs.length, 1, JSON.stringify(rs));
    return rs[0].loop;
  };

  it('for, for...of, for await, while, do-while', () => {
    const cases: Array<[string, string]> = [
      ['for (let i = 0; i < ids.length; i++) { await db.query("SELECT * FROM t WHERE id = $1", [ids[i]]); }', 'for'],
      ['for (const id of ids) {\n  await db.query("SELECT * FROM t WHERE id = $1", [id]);\n}', 'for-of'],
      ['for (const k in byId) { await db.query("SELECT * FROM t WHERE id = $1", [k]); }', 'for-in'],
      ['for await (const id of stream) { await db.query("SELECT * FROM t WHERE id = $1", [id]); }', 'for-await'],
      ['while (queue.length) { await db.query("DELETE FROM jobs WHERE id = $1", [queue.pop()]); }', 'while'],
      ['do { r = await db.query("SELECT * FROM t LIMIT 1"); } while (r.rows.length);', 'do-while'],
    ];
    for (const [code, kind] of cases) {
      const text = `async function f() {\n  ${code}\n}`;
      const loop = loopOf(text);
      assert.ok(loop, code);
      assert.equal(loop.kind, kind);
      assert.equal(loop.line, 1);
      assert.equal(text.slice(loop.start, loop.start + 2), kind === 'while' ? 'wh' : kind === 'do-while' ? 'do' : 'fo');
    }
  });

  it('array callbacks: forEach, and map under Promise.all', () => {
    const a = loopOf('users.forEach(async (u) => {\n  await db.query(`UPDATE users SET seen = now() WHERE id = ${u.id}`);\n});');
    assert.equal(a?.kind, 'forEach');
    assert.equal(a?.start, 0);
    const text = 'const rows = await Promise.all(ids.map(async (id) => db.query("SELECT * FROM orders WHERE id = $1", [id])));';
    const b = loopOf(text);
    assert.equal(b?.kind, 'map');
    assert.equal(text.slice(b!.start, b!.end).slice(0, 8), 'ids.map(');
    const c = loopOf('const out = xs.filter(function (x) { return db.query("SELECT 1 FROM t"); });');
    assert.equal(c?.kind, 'filter');
  });

  it('an immediately invoked function inside a loop is still in the loop', () => {
    assert.equal(loopOf('for (const x of xs) { (async () => { await db.query("SELECT 1 FROM t"); })(); }')?.kind, 'for-of');
  });

  it('not a loop: loop outside the enclosing function, the iterable, the initializer, a plain callback', () => {
    const outside = [
      'for (const id of ids) {',
      '  const load = async () => { await db.query("SELECT * FROM t WHERE id = $1", [id]); };',
      '  handlers.push(load);',
      '}',
    ].join('\n');
    assert.equal(loopOf(outside), undefined);
    assert.equal(loopOf('async function helper(id) { return db.query("SELECT * FROM t WHERE id = $1", [id]); }\nfor (const id of ids) await helper(id);'), undefined);
    assert.equal(loopOf('for (const row of (await db.query("SELECT * FROM t")).rows) { console.log(row); }'), undefined);
    assert.equal(loopOf('for (let r = await db.query("SELECT * FROM t"); r; r = null) {}'), undefined);
    assert.equal(loopOf('app.get("/", async (req, res) => { res.json(await db.query("SELECT * FROM t")); });'), undefined);
  });

  it('a sql fragment built in a loop is not a query in a loop unless awaited', () => {
    const frag = extract('const values = rows.map((r) => sql`(${r.a}, ${r.b})`);\nconst tuples = rows.map((r) => Prisma.sql`SELECT ${r.a}`);', 'typescript');
    assert.ok(frag.every((r) => r.loop === undefined));
    const ran = extract('for (const id of ids) { await sql`DELETE FROM t WHERE id = ${id}`; }', 'typescript');
    assert.equal(ran[0].loop?.kind, 'for-of');
    const raw = extract('await Promise.all(ids.map((id) => prisma.$executeRaw`DELETE FROM t WHERE id = ${id}`));', 'typescript');
    assert.equal(raw[0].loop?.kind, 'map');
    // drizzle: the fragment is handed to a known call, which runs it; push() does not
    const drizzle = extract('for (const id of ids) { await db.execute(sql`DELETE FROM t WHERE id = ${id}`); conds.push(sql`SELECT ${id}`); }', 'typescript');
    assert.deepEqual(drizzle.map((r) => r.loop?.kind ?? null), ['for-of', null]);
  });

  it('a variable used in and out of a loop is attached to the call in the loop', () => {
    const text = [
      'async function f(ids) {',
      "  const q = 'SELECT * FROM t WHERE id = $1';",
      '  await db.query(q, [ids[0]]);',
      '  for (const id of ids) await db.query(q, [id]);',
      '}',
    ].join('\n');
    const [r] = extract(text, 'javascript');
    assert.equal(r.origin, 'variable');
    assert.equal(r.loop?.kind, 'for-of');
    assert.ok(r.callStart > text.indexOf('for ('));
  });
});
