import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaDiagnostics, schemaSummary } from '../../../src/connections/schema-diagnostics';

describe('schemaDiagnostics', () => {
  const text = '-- schéma\nCREATE TABLE ok (id int);\nCREATE TABLE t (\n  id int\n);\nCREATE EXTENSION postgis;\n';
  const stmt = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const table = stmt('CREATE TABLE t (\n  id int\n)');
  const ext = stmt('CREATE EXTENSION postgis');

  it('underlines the word the server pointed at, else the statement\'s first line', () => {
    const d = schemaDiagnostics(
      [
        { file: 'db/schema.sql', statementStart: table.start, statementEnd: table.end, message: 'relation "t" already exists' },
        { file: 'db/schema.sql', statementStart: ext.start, statementEnd: ext.end, message: 'extension "postgis" is not available', position: ext.start + 17 },
      ],
      (f) => (f === 'db/schema.sql' ? text : undefined),
    );
    const list = d.get('db/schema.sql')!;
    assert.equal(list.length, 2);
    assert.deepEqual(list[0].range, { start: { line: 2, character: 0 }, end: { line: 2, character: 16 } });
    assert.equal(list[0].message, 'Not loaded into the embedded database: relation "t" already exists');
    assert.deepEqual(list[1].range, { start: { line: 5, character: 17 }, end: { line: 5, character: 24 } });
  });

  it('groups by file and skips files it cannot read', () => {
    const p = { statementStart: 0, statementEnd: 5, message: 'x' };
    const d = schemaDiagnostics([{ ...p, file: 'a.sql' }, { ...p, file: 'b.sql' }, { ...p, file: 'a.sql' }, { ...p, file: 'gone.sql' }], (f) => (f === 'gone.sql' ? undefined : 'SELECT 1'));
    assert.deepEqual([...d.keys()], ['a.sql', 'b.sql']);
    assert.equal(d.get('a.sql')!.length, 2);
  });
});

describe('schemaSummary', () => {
  it('counts loaded statements without the skipped BEGIN/COMMIT', () => {
    assert.equal(schemaSummary({ files: 3, statements: 24, loaded: 14, skipped: 2, problems: new Array(8) }, 9), '14 of 22 statements from 3 files loaded, 8 problems, sample rows in 9 tables');
    assert.equal(schemaSummary({ files: 1, statements: 1, loaded: 1, problems: [] }), '1 of 1 statements from 1 file loaded');
    assert.match(schemaSummary({ files: 0, statements: 0, loaded: 0, problems: [] }), /no schema files found/);
  });
});
