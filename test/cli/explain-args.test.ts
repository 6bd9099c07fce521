/**
 * `sqlperf explain` argument parsing (pure): what is accepted, what is a usage error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../src/cli/args';
import { parseExplainArgs } from '../../src/cli/explain-args';

describe('parseExplainArgs', () => {
  it('defaults to the embedded database, text, no analyze', () => {
    assert.deepEqual(parseArgs(['explain', '--sql', 'SELECT 1']), {
      kind: 'explain',
      options: { target: { kind: 'embedded' }, source: { kind: 'sql', sql: 'SELECT 1' }, analyze: false, allowWrite: false, params: [], format: 'text', schema: [], sampleRows: undefined },
    });
  });

  it('reads every option, in both --opt value and --opt=value forms', () => {
    const r = parseExplainArgs(['--db=postgresql://u@h/d', '--analyze', '--allow-write', '--file', 'q.sql', '--line', '12', '--param', '42', '-7', 'x y', '--param=--z', '--format', 'json']);
    assert.equal(r.kind, 'explain');
    if (r.kind !== 'explain') return;
    assert.deepEqual(r.options, {
      target: { kind: 'db', url: 'postgresql://u@h/d' },
      source: { kind: 'file', file: 'q.sql', line: 12 },
      analyze: true,
      allowWrite: true,
      params: ['42', '-7', 'x y', '--z'],
      format: 'json',
      schema: [],
      sampleRows: undefined,
    });
    const e = parseExplainArgs(['--embedded', '--schema', 'db/*.sql', 'ddl/**', '--sample-rows', '0', '--sql', '-- c\nSELECT 1']);
    assert.ok(e.kind === 'explain');
    assert.deepEqual([e.options.schema, e.options.sampleRows, e.options.source], [['db/*.sql', 'ddl/**'], 0, { kind: 'sql', sql: '-- c\nSELECT 1' }]);
    const c = parseExplainArgs(['--connection', 'staging', '--plan-file', 'p.json']);
    assert.equal(c.kind, 'usage-error', '--plan-file takes no target');
    assert.deepEqual(parseExplainArgs(['--plan-file', 'p.json', '--format', 'json']), {
      kind: 'explain',
      options: { target: { kind: 'embedded' }, source: { kind: 'plan-file', file: 'p.json' }, analyze: false, allowWrite: false, params: [], format: 'json', schema: [], sampleRows: undefined },
    });
  });

  it('help and version', () => {
    assert.deepEqual(parseArgs(['explain', '--help']), { kind: 'help', topic: 'explain' });
    assert.deepEqual(parseArgs(['explain', '-v']), { kind: 'version' });
  });

  it('usage errors name the problem', () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /give the statement with --sql/],
      [['--sql', 'a', '--file', 'b'], /choose one of --sql, --file/],
      [['--db', 'u', '--embedded', '--sql', 'x'], /choose one target: --db or --embedded/],
      [['--db', 'u', '--connection', 'c', '--sql', 'x'], /choose one target: --db or --connection/],
      [['--sql', 'x', '--line', '3'], /--line goes with --file/],
      [['--file', 'f', '--line', '0'], /--line needs a line number/],
      [['--file', 'f', '--line', 'two'], /--line needs a line number/],
      [['--sql', 'x', '--format', 'sarif'], /unknown format "sarif"/],
      [['--sql', 'x', '--sample-rows', '-1'], /--sample-rows needs a whole number/],
      [['--sql', 'x', '--db', 'u', '--schema', 'a.sql'], /--schema is for the embedded database/],
      [['--sql', 'x', '--connection', 'c', '--sample-rows', '5'], /--sample-rows is for the embedded database/],
      [['--plan-file', 'p', '--analyze'], /--plan-file reads a plan and uses no database: drop --analyze/],
      [['--sql', 'x', '--sql', 'y'], /--sql given twice/],
      [['--sql'], /--sql needs a value/],
      [['--sql', 'x', '--param'], /--param needs a value/],
      [['--sql', 'x', '--bogus'], /unknown option --bogus/],
      [['SELECT 1'], /unexpected argument "SELECT 1"/],
      [['--analyze=yes', '--sql', 'x'], /--analyze takes no value/],
    ];
    for (const [args, message] of cases) {
      const r = parseExplainArgs(args);
      assert.equal(r.kind, 'usage-error', args.join(' '));
      if (r.kind === 'usage-error') {
        assert.match(r.message, message, args.join(' '));
        assert.equal(r.topic, 'explain');
      }
    }
  });
});
