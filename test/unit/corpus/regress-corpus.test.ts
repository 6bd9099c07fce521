/**
 * The whole PostgreSQL regression corpus (about 42,000 statements, many deliberately
 * invalid, full of psql meta-commands) through the splitter and the analyzer.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser, parsePg, scanPg } from '../../../server/engine/parse/pgquery';
import { loadExtractors } from '../../../server/engine/extract';
import { splitStatements } from '../../../server/engine/parse/splitter';
import { splitWithScanner } from '../../support/scanner-split';
import { Analyzer } from '../../../server/engine/analyze';
import { DEFAULT_SETTINGS } from '../../../server/engine/settings';
import { SYNTAX_ERROR } from '../../../server/engine/types';
import { requirePrerequisite } from '../../support/prerequisites';

const CORPUS = process.env.SQLPERF_CORPUS ?? join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const REGRESS = join(CORPUS, 'postgres-regress');

before(async () => {
  await loadParser();
  await loadExtractors();
});

describe('postgres-regress corpus', { skip: requirePrerequisite(existsSync(REGRESS), `corpus not found at ${REGRESS} (set SQLPERF_CORPUS)`) }, () => {
  const files = existsSync(REGRESS) ? readdirSync(REGRESS).filter((f) => f.endsWith('.sql')).sort() : [];

  it('analyzes every statement libpg-query accepts, and reports a syntax error exactly for the others', () => {
    const analyzer = new Analyzer(DEFAULT_SETTINGS);
    let statements = 0;
    let accepted = 0;
    for (const file of files) {
      const text = readFileSync(join(REGRESS, file), 'utf8');
      const result = analyzer.analyze(text, 'sql');
      const errorsAt = new Set(result.findings.filter((f) => f.rule === SYNTAX_ERROR && f.severity === 'error').map((f) => f.start));
      for (const stmt of result.statements) {
        statements++;
        const alone = parsePg(stmt.text).ok;
        if (alone) accepted++;
        assert.equal(stmt.ok, alone, `${file}: statement at ${stmt.start} analyzed as ok=${stmt.ok}, parser says ${alone}`);
        const hasError = [...errorsAt].some((o) => o >= stmt.start && o <= stmt.end);
        assert.equal(hasError, !alone, `${file}: statement at ${stmt.start}: syntax error reported=${hasError}`);
      }
    }
    assert.ok(statements > 40_000, `only ${statements} statements found`);
    assert.ok(accepted / statements > 0.95, `only ${accepted} of ${statements} accepted`);
  });

  it("splits exactly as with PostgreSQL's own scanner", () => {
    for (const file of files) {
      const text = readFileSync(join(REGRESS, file), 'utf8');
      const ours = splitStatements(text);
      const oracle = splitWithScanner(text);
      if (oracle) {
        assert.deepEqual(ours, oracle, file);
        continue;
      }
      // Two files hold deliberate lexical errors (`123abc`, a bad Unicode escape) that make
      // the scanner reject the whole file. There, every statement we cut must be one
      // statement to the scanner too, or one it rejects on its own.
      assert.ok(['numerology.sql', 'strings.sql'].includes(file), `the scanner rejects ${file}`);
      for (const st of ours) {
        const alone = splitWithScanner(st.text);
        if (alone) assert.deepEqual(alone.map((a) => a.text), [st.text], `${file} at ${st.start}`);
      }
    }
  });

  it('reports the statements around a broken one', () => {
    const text = readFileSync(join(REGRESS, 'select.sql'), 'utf8');
    const stmts = splitStatements(text);
    const middle = stmts[Math.floor(stmts.length / 2)];
    const broken = text.slice(0, middle.start) + 'SELEC broken FROM' + text.slice(middle.end);
    const analyzer = new Analyzer(DEFAULT_SETTINGS);
    const before = analyzer.analyze(text, 'sql');
    const after = analyzer.analyze(broken, 'sql');
    assert.equal(after.statements.length, before.statements.length);
    const newError = after.findings.find((f) => f.rule === SYNTAX_ERROR && f.start >= middle.start && f.start < middle.start + 17);
    assert.ok(newError, 'the broken statement gets its syntax error');
    assert.equal(broken.slice(newError.start, newError.end), 'SELEC');
    // every other statement still gets its findings
    const otherBefore = before.findings.filter((f) => f.rule !== SYNTAX_ERROR && f.end <= middle.start).length;
    const otherAfter = after.findings.filter((f) => f.rule !== SYNTAX_ERROR && f.end <= middle.start).length;
    assert.equal(otherAfter, otherBefore);
  });
});
