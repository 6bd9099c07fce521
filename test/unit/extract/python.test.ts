import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtractors, mapToHost } from '../../../server/engine/extract';
import { assertMaps, callText, extract, hostTextOf, regionWith } from './helpers';

before(loadExtractors);

const py = (text: string) => extract(text, 'python');

describe('Python: calls and strings', () => {
  it('psycopg cursor.execute with %s and %(name)s paramstyles (same width, %% and quoted % untouched)', () => {
    const text = [
      'import psycopg',
      'def find(conn, user_id, name):',
      '    with conn.cursor() as cur:',
      '        cur.execute("SELECT id, email FROM users WHERE id = %s", (user_id,))',
      "        cur.execute(\"SELECT * FROM users WHERE name LIKE '%son%' AND pct > 10 %% 3 AND org = %(org_id)s\", {'org_id': 1})",
      '        return cur.fetchone()',
    ].join('\n');
    const [a, b] = py(text);
    assert.equal(a.sql, 'SELECT id, email FROM users WHERE id = $1');
    assert.equal(a.callName, 'cur.execute');
    assert.equal(callText(text, a), 'cur.execute');
    assert.equal(a.origin, 'call-argument');
    assert.equal(a.knownCall, true);
    assertMaps(text, a, 'FROM users', 'WHERE id = ');
    assert.equal(hostTextOf(text, a, '$1'), '%s');
    assert.equal(b.sql, "SELECT * FROM users WHERE name LIKE '%son%' AND pct > 10 %% 3 AND org = " + '$1'.padEnd('%(org_id)s'.length));
    assert.equal(hostTextOf(text, b, '$1'.padEnd(10)), '%(org_id)s');
  });

  it('triple-quoted strings, implicit concatenation and parentheses map exactly', () => {
    const text = [
      'def report(cur, since):',
      '    cur.execute("""',
      '        SELECT o.id, o.total',
      '        FROM orders o',
      '        WHERE o.created_at > %s',
      '    """, (since,))',
      '    cur.execute(',
      '        "SELECT id, name "',
      "        'FROM customers '  # the table",
      '        "WHERE active"',
      '    )',
    ].join('\n');
    const [a, b] = py(text);
    assert.equal(a.segments, undefined);
    assertMaps(text, a, 'SELECT o.id', 'FROM orders o', 'WHERE o.created_at > ');
    assert.equal(b.sql, 'SELECT id, name FROM customers WHERE active');
    assert.ok(b.segments);
    assertMaps(text, b, 'SELECT id', 'FROM customers', 'WHERE active');
    assert.equal(mapToHost(b, b.sql.length), text.lastIndexOf('"'));
  });

  it('f-strings: interpolations become same-width placeholders, {{ }} are braces', () => {
    const text = 'cur.execute(f"SELECT * FROM {schema}.users WHERE id = {user.id!r} AND tags @> \'{{a}}\'")';
    const [r] = py(text);
    assert.equal(r.sql, `SELECT * FROM ${'$1'.padEnd(8)}.users WHERE id = ${'$2'.padEnd('{user.id!r}'.length)} AND tags @> '{a}'`);
    assertMaps(text, r, 'FROM', '.users WHERE id = ');
    assert.equal(hostTextOf(text, r, "'{a}'"), "'{{a}}'");
  });

  it('raw strings keep backslashes; escapes in normal strings are decoded and mapped', () => {
    const text = [
      "cur.execute(r\"SELECT * FROM logs WHERE line ~ '\\d+\\s'\")",
      "cur.execute('SELECT \\'x\\' AS a,\\n\\t b FROM t')",
    ].join('\n');
    const [raw, esc] = py(text);
    assert.equal(raw.sql, "SELECT * FROM logs WHERE line ~ '\\d+\\s'");
    assert.equal(raw.segments, undefined);
    assert.equal(esc.sql, "SELECT 'x' AS a,\n\t b FROM t");
    assertMaps(text, esc, 'SELECT', 'AS a,', 'b FROM t');
    assert.equal(hostTextOf(text, esc, "'x'"), "\\'x\\'");
  });

  it('SQLAlchemy text() with :name parameters, Django raw(), asyncpg-style keyword argument', () => {
    const text = [
      'from sqlalchemy import text',
      'def load(session, uid):',
      '    row = session.execute(text("SELECT * FROM users WHERE id = :uid AND created::date > :since"), {"uid": uid}).first()',
      '    people = Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [lname])',
      '    cur.execute(query="DELETE FROM sessions WHERE expires < now()")',
    ].join('\n');
    const rs = py(text);
    assert.deepEqual(rs.map((r) => r.callName), ['text', 'Person.objects.raw', 'cur.execute']);
    assert.equal(rs[0].sql, 'SELECT * FROM users WHERE id = $1   AND created::date > $2    ');
    assert.equal(callText(text, rs[0]), 'text');
  });

  it('str.format and % formatting: fields become placeholders', () => {
    const text = [
      'cur.execute("SELECT * FROM {} WHERE id = %s".format(table), (1,))',
      'cur.execute("SELECT * FROM t WHERE id = %s" % (uid,))',
    ].join('\n');
    const [a, b] = py(text);
    assert.equal(a.sql, 'SELECT * FROM $1 WHERE id = $2');
    assert.equal(b.sql, 'SELECT * FROM t WHERE id = $1');
    assertMaps(text, a, 'WHERE id');
  });

  it('psycopg sql.SQL() composition: {} fields are placeholders', () => {
    const text = 'cur.execute(sql.SQL("SELECT {} FROM {} WHERE id = %s").format(sql.Identifier(col), sql.Identifier(table)), (1,))';
    const [r] = py(text);
    assert.equal(r.callName, 'sql.SQL');
    assert.equal(r.sql, 'SELECT $1 FROM $2 WHERE id = $3');
    assert.equal(r.knownCall, true);
  });

  it('a SQL variable in the function or at module level, passed to a known call', () => {
    const text = [
      'ACTIVE_USERS = """',
      '    SELECT id FROM users WHERE active',
      '"""',
      '',
      'def active(cur):',
      '    query = "SELECT id, email FROM users WHERE id = %(id)s"',
      '    cur.execute(query, {"id": 1})',
      '    cur.execute(ACTIVE_USERS)',
      '    return cur.fetchall()',
    ].join('\n');
    const rs = py(text);
    assert.equal(rs.length, 2);
    for (const r of rs) {
      assert.equal(r.origin, 'variable');
      assert.equal(r.knownCall, true);
      assert.equal(r.callName, 'cur.execute');
    }
    assert.ok(regionWith(rs, 'email').callStart < regionWith(rs, 'active').callStart);
    assertMaps(text, regionWith(rs, 'email'), 'FROM users');
  });

  it('docstrings and prose are not SQL; loose SQL strings are reported with knownCall false', () => {
    const text = [
      'def purge():',
      '    """Delete rows from the sessions table that have expired."""',
      '    log.info("Selected users from the list")',
      '    cache.get("select:users")',
      '    SQL = "DELETE FROM sessions WHERE expires < now()"',
      '    return SQL',
    ].join('\n');
    const rs = py(text);
    assert.equal(rs.length, 1);
    assert.equal(rs[0].origin, 'string');
    assert.equal(rs[0].knownCall, false);
    assert.equal(rs[0].callName, '');
  });
});

describe('Python: loops', () => {
  const loopOf = (text: string) => {
    const rs = py(text);
    assert.equal(rs.length, 1, JSON.stringify(rs));
    return rs[0].loop;
  };

  it('for, async for, while, comprehensions and generator expressions', () => {
    const body = 'cur.execute("SELECT * FROM orders WHERE user_id = %s", (u,))';
    const cases: Array<[string, string]> = [
      [`for u in users:\n        ${body}`, 'for'],
      [`async for u in users:\n        await ${body}`, 'for'],
      [`while users:\n        u = users.pop()\n        ${body}`, 'while'],
      [`rows = [${body} for u in users]`, 'list-comprehension'],
      [`rows = {${body} for u in users}`, 'set-comprehension'],
      [`rows = {u: ${body} for u in users}`, 'dict-comprehension'],
      [`total = sum(${body}.rowcount for u in users)`, 'generator'],
      [`rows = list(map(lambda u: ${body}, users))`, 'map'],
    ];
    for (const [code, kind] of cases) {
      const text = `async def f(cur, users):\n    ${code}\n`;
      const loop = loopOf(text);
      assert.equal(loop?.kind, kind, code);
      assert.equal(loop?.line, 1, code);
    }
  });

  it('not a loop: iterable of the for, first iterable of a comprehension, else clause, nested def', () => {
    assert.equal(loopOf('for row in cur.execute("SELECT * FROM t"):\n    print(row)\n'), undefined);
    assert.equal(loopOf('rows = [r for r in cur.execute("SELECT * FROM t")]\n'), undefined);
    assert.equal(loopOf('for x in xs:\n    pass\nelse:\n    cur.execute("SELECT 1 FROM t")\n'), undefined);
    assert.equal(loopOf('for x in xs:\n    def later():\n        cur.execute("SELECT 1 FROM t")\n    hooks.append(later)\n'), undefined);
  });
});
