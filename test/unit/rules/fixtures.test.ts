/**
 * Each registered rule against its fixtures: bad.* reports exactly the expected diagnostics
 * of that rule, good.* none. See README.md for the expectation comments.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { loadExtractors } from '../../../server/engine/extract';
import { RULES } from '../../../server/engine/rules';
import { SYNTAX_ERROR } from '../../../server/engine/types';
import { analyzeFile, format, LANGUAGES, parseExpectations } from './harness';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'rules');

before(async () => {
  await loadParser();
  await loadExtractors();
});

function fixtureFiles(id: string, kind: 'bad' | 'good'): string[] {
  const dir = join(FIXTURES, id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${kind}.`) && Object.keys(LANGUAGES).some((ext) => f.endsWith(ext)))
    .sort()
    .map((f) => join(dir, f));
}

for (const rule of RULES) {
  const id = rule.meta.id;
  describe(`rule ${id}`, () => {
    // a rule that is off by default (enabledByDefault: false) is tested as if turned on
    const ownRuleOn = { rules: { [id]: rule.meta.defaultSeverity } };
    for (const file of fixtureFiles(id, 'bad')) {
      it(`reports exactly the expected diagnostics in ${file.slice(FIXTURES.length + 1)}`, () => {
        const { text, observed } = analyzeFile(file, ownRuleOn);
        assert.deepEqual(observed.filter((o) => o.rule === SYNTAX_ERROR).map(format), [], 'fixture has syntax errors');
        const expected = parseExpectations(text);
        assert.ok(expected.length > 0, 'a bad fixture needs at least one expectation');
        assert.deepEqual(
          expected.filter((e) => e.rule !== id).map(format),
          [],
          `${file} expects other rules; keep each fixture to its own rule`,
        );
        const actual = observed.filter((o) => o.rule === id);
        // compare with the text only where the expectation gives one
        const shown = actual.map((o) => {
          const e = expected.find((x) => x.line === o.line && x.column === o.column);
          return format(e && e.text === undefined ? { ...o, text: undefined } : o);
        });
        assert.deepEqual(shown.sort(), expected.map(format).sort());
      });
    }
    for (const file of fixtureFiles(id, 'good')) {
      it(`stays quiet in ${file.slice(FIXTURES.length + 1)}`, () => {
        const { text, observed } = analyzeFile(file, ownRuleOn);
        assert.deepEqual(observed.filter((o) => o.rule === SYNTAX_ERROR).map(format), [], 'fixture has syntax errors');
        assert.deepEqual(parseExpectations(text).map(format), [], 'good fixtures carry no expectations');
        assert.deepEqual(observed.filter((o) => o.rule === id).map(format), []);
      });
    }
  });
}
