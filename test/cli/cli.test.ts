/**
 * The `sqlperf` command end to end: arguments, exit codes, output formats, settings,
 * odd files. Every test runs the bundled dist/cli.js in a child process.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cliBuilt, parseJsonOutput, REPO, run, TempWorkspace } from './helpers';
import pkg from '../../package.json';
import { backgroundThreadsFor } from '../../src/cli/background-threads';

before(() => {
  assert.ok(cliBuilt(), 'dist/cli.js is missing: run `node esbuild.mjs` first');
});

describe('sqlperf: arguments', () => {
  it('--help prints usage and exits 0', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: sqlperf <command>/);
    assert.match(r.stdout, /--format <fmt>/);
    assert.equal(run(['check', '--help']).code, 0);
  });

  it('--version prints the manifest version', () => {
    const r = run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), pkg.version);
  });

  it('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /missing command/],
      [['lint'], /unknown command "lint"/],
      [['check', '--bogus'], /unknown option --bogus/],
      [['check', '--format', 'nope', 'examples'], /unknown format "nope"/],
      [['check', '--format=xml'], /unknown format "xml"/],
      [['check', '--format'], /--format needs a value/],
      [['check', '--max-warnings', 'many'], /--max-warnings needs a whole number/],
      [['check', 'no/such/path.sql'], /no such file or directory: no\/such\/path\.sql/],
      [['check', '--dialect', 'klingon', 'examples'], /unknown dialect "klingon"/],
      [['check', '--config', 'missing.json', 'examples'], /config file not found: missing\.json/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `exit code of sqlperf ${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, `stderr of sqlperf ${args.join(' ')}`);
      assert.equal(r.stdout, '', `stdout of sqlperf ${args.join(' ')}`);
    }
  });
});

describe('sqlperf check: findings and exit codes', () => {
  const ws = new TempWorkspace();
  after(() => ws.cleanup());

  it('reports a syntax error with exact position in every format, and exits 1', () => {
    ws.write('broken/q.sql', 'SELECT 1;\n\nSELECT id\nFROMM users;\n');
    const json = ws.run(['check', 'broken', '--format', 'json']);
    assert.equal(json.code, 1, json.stderr);
    assert.deepEqual(parseJsonOutput(json), [
      {
        file: 'broken/q.sql',
        line: 4,
        column: 7,
        endLine: 4,
        endColumn: 12,
        rule: 'syntax-error',
        severity: 'error',
        message: 'syntax error at or near "users"',
      },
    ]);

    const text = ws.run(['check', 'broken']);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^broken\/q\.sql:4:7: error syntax-error: syntax error at or near "users"$/m);
    assert.match(text.stdout, /^1 problem \(1 error, 0 warnings, 0 infos\) in 1 file$/m);
  });

  it('positions are UTF-16 columns, 1-based, after non-ASCII text', () => {
    // 'ü' is one UTF-16 unit (two UTF-8 bytes); '😀' is two units (four bytes).
    ws.write('unicode/q.sql', "-- Grüße 😀\nSELECT 'ü😀x' AS g, name FROMM t;\n");
    const r = ws.run(['check', 'unicode', '--format', 'json']);
    const [f] = parseJsonOutput(r);
    const line = "SELECT 'ü😀x' AS g, name FROMM t;";
    assert.equal(f.line, 2);
    assert.equal(f.column, line.indexOf('t;') + 1);
    assert.equal(f.endColumn, line.indexOf('t;') + 2);
    assert.equal(f.rule, 'syntax-error');
  });

  it('one bad statement does not hide the others, and files are sorted', () => {
    ws.write('multi/b.sql', 'SELEC 1;\n');
    ws.write('multi/a.sql', 'SELECT 1;\nSELECT FROM WHERE;\nSELECT (1;\n');
    const findings = parseJsonOutput(ws.run(['check', 'multi', '--format', 'json']));
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}:${f.rule}`),
      ['multi/a.sql:2:syntax-error', 'multi/a.sql:3:syntax-error', 'multi/b.sql:1:syntax-error'],
    );
  });

  it('checks the syntax of another dialect (its parser is a file of its own beside the bundle)', () => {
    ws.write('mysql/q.sql', 'SELECT `id` FROM `users` LIMIT 1;\nSELEC id FROM users;\n');
    const r = ws.run(['check', 'mysql', '--dialect', 'mysql', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const findings = parseJsonOutput(r);
    assert.deepEqual(findings.map((f) => [f.rule, f.line]), [['syntax-error', 2]]);
    assert.match(findings[0].message, /\(mysql\)$/);
  });

  it('a check interrupted by SIGTERM stops, and leaves no process behind', async () => {
    // dist/cli.js may run the check in a child process (launch.ts): the signal must reach it
    const dir = `many-${process.pid}`;
    const big = 'SELECT * FROM t WHERE lower(a) = $1 ORDER BY random();\n'.repeat(20_000);
    for (let i = 0; i < 20; i++) ws.write(`${dir}/q${i}.sql`, big);
    const checks = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(' check ') && l.includes(dir));
    const child = spawn(process.execPath, [join(REPO, 'dist', 'cli.js'), 'check', dir, '--format', 'json'], { cwd: ws.dir, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 700));
    const inChild = backgroundThreadsFor(availableParallelism()) !== undefined;
    assert.equal(checks().length, inChild ? 2 : 1, 'the launcher, and the check in its child process where the machine has few cores');
    child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (c, s) => r([c, s])));
    assert.equal(code, null);
    assert.equal(signal, 'SIGTERM');
    assert.deepEqual(checks(), []);
  });

  it('clean files exit 0 with an empty JSON array', () => {
    ws.write('clean/q.sql', 'SELECT id, email FROM users WHERE id = $1;\n');
    const r = ws.run(['check', 'clean', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseJsonOutput(r), []);
    const t = ws.run(['check', 'clean']);
    assert.equal(t.stdout, '0 problems (0 errors, 0 warnings, 0 infos) in 1 file\n');
  });

  it('binary, empty and non-UTF-8 files are skipped without a crash', () => {
    ws.write('odd/empty.sql', '');
    ws.write('odd/blob.sql', Buffer.from([0x53, 0x45, 0x4c, 0x00, 0x01, 0x02, 0xff]));
    ws.write('odd/latin1.sql', Buffer.from('SELECT \'caf\xe9\';\n', 'latin1'));
    ws.write('odd/ok.sql', 'SELECT 1;\n');
    const r = ws.run(['check', 'odd']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /0 problems .* in 2 files/);
    assert.match(r.stdout, /^2 files skipped:$/m);
    assert.match(r.stdout, /^ {2}odd\/blob\.sql: binary$/m);
    assert.match(r.stdout, /^ {2}odd\/latin1\.sql: binary \(not valid UTF-8\)$/m);
    const j = ws.run(['check', 'odd', '--format', 'json']);
    assert.deepEqual(parseJsonOutput(j), []);
    assert.match(j.stderr, /skipped odd\/blob\.sql: binary/);
  });

  it('a BOM does not shift columns', () => {
    ws.write('bom/q.sql', '\ufeffSELEC 1;\n');
    const [f] = parseJsonOutput(ws.run(['check', 'bom', '--format', 'json']));
    assert.equal(f.line, 1);
    assert.equal(f.column, 1);
  });

  it('walks directories: only SQL and host files, excludes node_modules, survives symlink loops', () => {
    ws.write('walk/src/q.sql', 'SELEC 1;\n');
    ws.write('walk/src/readme.txt', 'SELEC 1;\n');
    ws.write('walk/node_modules/pkg/q.sql', 'SELEC 1;\n');
    ws.write('walk/dist/q.sql', 'SELEC 1;\n');
    mkdirSync(join(ws.dir, 'walk/src/deeper'), { recursive: true });
    symlinkSync(join(ws.dir, 'walk'), join(ws.dir, 'walk/src/deeper/loop'));
    symlinkSync(join(ws.dir, 'walk/nowhere'), join(ws.dir, 'walk/src/dangling.sql'));
    const r = ws.run(['check', 'walk', '--format', 'json']);
    assert.deepEqual(
      parseJsonOutput(r).map((f) => f.file),
      ['walk/src/q.sql'],
    );
    assert.match(r.stderr, /cannot follow symbolic link .*dangling\.sql: ENOENT/);
  });

  it('a file named explicitly is checked whatever its extension', () => {
    const r = ws.run(['check', 'walk/src/readme.txt', '--format', 'json']);
    assert.deepEqual(parseJsonOutput(r).map((f) => f.file), ['walk/src/readme.txt']);
  });

  it('settings exclude globs are honoured, relative to the settings file', () => {
    ws.write('excl/.sqlperf.json', '{ "exclude": ["legacy/**", "*.gen.sql"] }');
    ws.write('excl/legacy/old.sql', 'SELEC 1;\n');
    ws.write('excl/new/x.gen.sql', 'SELEC 1;\n');
    ws.write('excl/new/x.sql', 'SELEC 1;\n');
    const r = ws.run(['check', 'excl', '--format', 'json']);
    assert.deepEqual(parseJsonOutput(r).map((f) => f.file), ['excl/new/x.sql']);
  });

  it('a broken settings file is a configuration error (exit 2)', () => {
    ws.write('badcfg/.sqlperf.json', '{ "rules": { "select-star": "off" ');
    ws.write('badcfg/q.sql', 'SELECT 1;\n');
    const r = ws.run(['check', 'badcfg']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid settings file/);
    assert.match(r.stderr, /\.sqlperf\.json:1:\d+: /);
    assert.equal(r.stdout, '');
  });

  it('wrong values in settings are warnings, and the run goes on', () => {
    ws.write('warncfg/.sqlperf.json', '{ "rules": { "select-star": "loud" }, "thresholds": { "joins": -1 } }');
    ws.write('warncfg/q.sql', 'SELECT 1;\n');
    const r = ws.run(['check', 'warncfg']);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /rules\.select-star: expected one of/);
    assert.match(r.stderr, /thresholds\.joins must be a positive number/);
  });

  it('never colours piped output, and honours NO_COLOR', () => {
    const r = ws.run(['check', 'broken'], { NO_COLOR: '1' });
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });
});

describe('sqlperf check: rules, settings and exit codes', () => {
  const ws = new TempWorkspace();
  after(() => ws.cleanup());
  /** 1-based UTF-16 column of `needle` in `line`, the way editors count. */
  const col = (line: string, needle: string) => {
    const i = line.indexOf(needle);
    assert.ok(i >= 0, `${needle} not in ${line}`);
    return i + 1;
  };

  it('warnings only: exit 0', () => {
    ws.write('warn/q.sql', 'SELECT * FROM users;\n');
    const r = ws.run(['check', 'warn', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const [f] = parseJsonOutput(r);
    assert.deepEqual({ ...f, message: undefined }, {
      file: 'warn/q.sql', line: 1, column: 8, endLine: 1, endColumn: 9, rule: 'select-star', severity: 'warning', message: undefined,
    });
    assert.match(f.message, /SELECT \*/);
  });

  it('DELETE without WHERE is an error: exit 1', () => {
    ws.write('del/q.sql', 'DELETE FROM t\n');
    const r = ws.run(['check', 'del', '--format', 'json']);
    assert.equal(r.code, 1);
    const findings = parseJsonOutput(r);
    assert.equal(findings.length, 1);
    const { message, ...rest } = findings[0];
    assert.deepEqual(rest, { file: 'del/q.sql', line: 1, column: 1, endLine: 1, endColumn: 14, rule: 'update-delete-without-where', severity: 'error' });
    assert.match(message, /DELETE without WHERE/);
  });

  it('--max-warnings turns too many warnings into exit 1', () => {
    ws.write('many/q.sql', 'SELECT * FROM a;\nSELECT * FROM b;\n');
    assert.equal(ws.run(['check', 'many', '--max-warnings', '2']).code, 0);
    const r = ws.run(['check', 'many', '--max-warnings', '1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /2 warnings, more than --max-warnings 1/);
  });

  it('--config is honoured: a rule turned off, another made an error', () => {
    ws.write('cfg/q.sql', 'SELECT * FROM users ORDER BY random() LIMIT 3;\n');
    ws.write('cfg-off.json', '{\n  // quiet\n  "rules": { "select-star": "off", "order-by-random": "error", },\n}\n');
    const before = parseJsonOutput(ws.run(['check', 'cfg', '--format', 'json'])).map((f) => `${f.rule}:${f.severity}`);
    assert.deepEqual(before, ['select-star:warning', 'order-by-random:warning']);
    const r = ws.run(['check', 'cfg', '--config', 'cfg-off.json', '--format', 'json']);
    assert.equal(r.code, 1);
    assert.deepEqual(parseJsonOutput(r).map((f) => `${f.rule}:${f.severity}`), ['order-by-random:error']);
  });

  it('the nearest .sqlperf.json above the first path is used', () => {
    ws.write('proj/.sqlperf.json', '{ "rules": { "select-star": false } }');
    ws.write('proj/sql/deep/q.sql', 'SELECT * FROM users LIMIT 1;\n');
    const r = ws.run(['check', 'proj/sql/deep/q.sql', '--format', 'json']);
    assert.deepEqual(parseJsonOutput(r).map((f) => f.rule), ['limit-without-order-by']);
  });

  it('suppression comments work as in the editor', () => {
    ws.write('supp/q.sql', '-- sqlperf-ignore select-star\nSELECT * FROM users;\nSELECT * FROM orders;\n');
    assert.deepEqual(parseJsonOutput(ws.run(['check', 'supp', '--format', 'json'])).map((f) => f.line), [3]);
  });

  it('rule findings after non-ASCII text have UTF-16 columns', () => {
    const line = "SELECT 'ü😀', * FROM t WHERE name LIKE '%ß';";
    ws.write('uni/q.sql', `-- Grüße 😀\n${line}\n`);
    const findings = parseJsonOutput(ws.run(['check', 'uni', '--format', 'json']));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line, f.column, f.endColumn]),
      [
        ['select-star', 2, col(line, '*'), col(line, '*') + 1],
        ['leading-wildcard-like', 2, col(line, "'%ß'"), col(line, "'%ß'") + 4],
      ],
    );
  });

  it('SQL embedded in TypeScript and Python is positioned in the host file', () => {
    const ts = "  await client.query(`SELECT * FROM orders WHERE user_id = ${id} /* é */ AND note = 'ü😀' ORDER BY random()`);";
    ws.write('host/loop.ts', `// Grüße 😀\nfor (const id of ids) {\n${ts}\n}\n`);
    const py = '    cur.execute("SELECT \'ü😀\', * FROM products WHERE id = %s", (pid,))';
    ws.write('host/loop.py', `# Grüße 😀\nfor pid in ids:\n${py}\n`);
    const findings = parseJsonOutput(ws.run(['check', 'host', '--format', 'json']));
    const got = findings.map((f) => `${f.file}:${f.line}:${f.column}:${f.rule}`);
    for (const expected of [
      `host/loop.py:3:${col(py, 'SELECT')}:query-in-loop`,
      `host/loop.py:3:${col(py, '*')}:select-star`,
      `host/loop.ts:3:${col(ts, 'SELECT')}:query-in-loop`,
      `host/loop.ts:3:${col(ts, '*')}:select-star`,
      `host/loop.ts:3:${col(ts, 'random()')}:order-by-random`,
    ]) {
      assert.ok(got.includes(expected), `${expected} not in\n${got.join('\n')}`);
    }
  });
});

describe('sqlperf check --format sarif', () => {
  const ws = new TempWorkspace();
  after(() => ws.cleanup());

  it('is a valid SARIF 2.1.0 log', () => {
    ws.write('s/q.sql', 'SELECT 1;\nSELEC 2;\n');
    ws.write('s/blob.sql', Buffer.from([0, 1, 2]));
    const r = ws.run(['check', 's', '--format', 'sarif']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run0 = log.runs[0];
    const driver = run0.tool.driver;
    assert.equal(driver.name, 'sqlperf');
    assert.equal(driver.version, pkg.version);
    assert.match(driver.informationUri, /^https?:\/\//);
    assert.ok(Array.isArray(driver.rules) && driver.rules.length >= 1);
    const ids = new Set<string>();
    for (const rule of driver.rules) {
      assert.equal(typeof rule.id, 'string');
      assert.ok(!ids.has(rule.id), `duplicate rule ${rule.id}`);
      ids.add(rule.id);
      assert.equal(typeof rule.shortDescription.text, 'string');
      assert.ok(rule.shortDescription.text.length > 0);
      assert.match(rule.helpUri, new RegExp(`docs/rules/${rule.id}\\.md$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(ids.has('syntax-error'));
    assert.match(run0.originalUriBaseIds.SRCROOT.uri, /^file:\/\/.*\/$/);
    assert.equal(run0.results.length, 1);
    const [res] = run0.results;
    assert.equal(res.ruleId, 'syntax-error');
    assert.equal(driver.rules[res.ruleIndex].id, 'syntax-error');
    assert.equal(res.level, 'error');
    assert.equal(typeof res.message.text, 'string');
    const loc = res.locations[0].physicalLocation;
    assert.deepEqual(loc.artifactLocation, { uri: 's/q.sql', uriBaseId: 'SRCROOT' });
    assert.deepEqual(loc.region, { startLine: 2, startColumn: 1, endLine: 2, endColumn: 6 });
    const notes = run0.invocations[0].toolExecutionNotifications;
    assert.equal(notes.length, 1);
    assert.equal(notes[0].locations[0].physicalLocation.artifactLocation.uri, 's/blob.sql');
  });
});

describe('sqlperf check examples', () => {
  it('reports the documented problems at their places (text)', () => {
    const r = run(['check', 'examples']);
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`); // the DELETE without WHERE
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /syntax-error/, 'the examples are valid SQL and valid host code');
    const expected = [
      'examples/app/main.go:73:23: warning query-in-loop:',
      'examples/app/orders.ts:37:8: warning query-in-loop:',
      'examples/app/orders.ts:54:13: warning select-star:',
      'examples/app/orders.ts:74:11: warning non-sargable-predicate:',
      'examples/app/reports.py:33:42: warning select-star:',
      'examples/app/reports.py:33:79: warning leading-wildcard-like:',
      'examples/app/reports.py:44:22: warning query-in-loop:',
      'examples/migrations/002_add_index.sql:4:1: warning create-index-not-concurrently:',
      'examples/queries/reports.sql:7:12: warning not-in-subquery:',
      'examples/queries/reports.sql:17:18: warning implicit-cross-join:',
      'examples/queries/reports.sql:47:6: warning too-many-joins:',
      'examples/queries/reports.sql:70:1: error update-delete-without-where:',
      'examples/queries/search.sql:5:8: warning select-star:',
      'examples/queries/search.sql:7:17: warning leading-wildcard-like:',
      'examples/queries/search.sql:22:7: warning non-sargable-predicate:',
      'examples/queries/search.sql:28:10: warning large-offset:',
      'examples/queries/search.sql:41:10: warning order-by-random:',
      'examples/queries/search.sql:47:19: warning null-comparison:',
    ];
    const lines = r.stdout.split('\n');
    for (const prefix of expected) {
      assert.ok(lines.some((l) => l.startsWith(prefix)), `missing ${prefix}\n${r.stdout}`);
    }
    assert.match(r.stdout, /^\d+ problems \(1 error, \d+ warnings, \d+ infos?\) in 8 files$/m);
  });

  it('keeps the good code and the settings file quiet', () => {
    const findings = parseJsonOutput(run(['check', 'examples', '--format', 'json']));
    const within = (file: string, from: number, to: number) => findings.filter((f) => f.file === file && f.line >= from && f.line <= to);
    // schema.sql suppresses create-index-not-concurrently for the whole file; what it still
    // shows on purpose are its schema problems: foreign keys without an index (the comments
    // say so) and the audit log without a primary key.
    assert.deepEqual(
      [...new Set(findings.filter((f) => f.file === 'examples/schema.sql').map((f) => f.rule))].sort(),
      ['fk-without-index', 'table-without-primary-key'],
    );
    assert.ok(findings.some((f) => f.file === 'examples/schema.sql' && f.line === 26 && f.rule === 'fk-without-index'), 'products.category_id');
    // .sqlperf.json turns order-by-without-limit off (the CSV export).
    assert.deepEqual(findings.filter((f) => f.rule === 'order-by-without-limit'), []);
    // prefix search, keyset pagination, NOT EXISTS, top sellers, ANY($1), lowStockIDs, the
    // concurrent index build
    for (const [file, from, to] of [
      ['examples/queries/search.sql', 13, 17],
      ['examples/queries/search.sql', 31, 35],
      ['examples/queries/reports.sql', 10, 12],
      ['examples/queries/reports.sql', 59, 64],
      ['examples/app/orders.ts', 60, 66],
      ['examples/app/main.go', 50, 55],
      ['examples/migrations/002_add_index.sql', 5, 9],
    ] as const) {
      // unindexed-filter (information) is the Index Advisor's entry point and belongs on the
      // keyset pagination and the stock filter: their columns have no index yet.
      assert.deepEqual(within(file, from, to).filter((f) => f.rule !== 'unindexed-filter'), [], `${file}:${from}-${to}`);
    }
  });

  it('is sorted by file, line and column in JSON', () => {
    const findings = parseJsonOutput(run(['check', 'examples', '--format', 'json']));
    const keys = findings.map((f) => [f.file, f.line, f.column] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
    assert.deepEqual(keys, sorted);
  });

  it('relative paths follow the current directory', () => {
    const r = run(['check', '.', '--format', 'json'], join(REPO, 'examples'));
    const files = new Set(parseJsonOutput(r).map((f) => f.file));
    assert.ok(files.has('queries/search.sql'), [...files].join(', '));
  });
});
