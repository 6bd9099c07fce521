/**
 * Every registered rule is complete: a unique kebab-case id, a description, documentation
 * with the agreed sections, and both fixtures.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES, RULE_IDS, ruleById, ruleDocPath } from '../../../server/engine/rules';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'rules');

describe('rule registry', () => {
  it('has unique kebab-case ids', () => {
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length, 'duplicate rule ids');
    for (const id of RULE_IDS) assert.match(id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, id);
  });

  it('finds rules by id', () => {
    for (const rule of RULES) assert.equal(ruleById(rule.meta.id), rule);
    assert.equal(ruleById('no-such-rule'), undefined);
  });

  it('keeps fixture folders and doc pages in step with the registry', () => {
    const folders = readdirSync(FIXTURES).filter((f) => !f.startsWith('.'));
    assert.deepEqual(folders.sort(), [...RULE_IDS].sort(), 'a fixture folder without a rule, or a rule without fixtures');
    const docs = readdirSync(join(ROOT, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
    assert.deepEqual(docs.sort(), [...RULE_IDS].sort(), 'a doc page without a rule, or a rule without a doc page');
  });
});

for (const rule of RULES) {
  const { id, description, category, defaultSeverity, needs } = rule.meta;
  describe(`rule ${id} is complete`, () => {
    it('has a one-sentence description and valid meta', () => {
      assert.ok(description.length >= 20 && description.length <= 200, `description length ${description.length}`);
      assert.match(description, /\.$/, 'the description is a sentence ending with a period');
      assert.ok(['performance', 'locking', 'correctness', 'host-code', 'pool'].includes(category));
      assert.ok(['error', 'warning', 'information', 'hint'].includes(defaultSeverity));
      assert.ok(Array.isArray(needs));
      assert.equal(typeof rule.check, 'function');
    });

    it('has documentation with every section', () => {
      const path = join(ROOT, ruleDocPath(id));
      assert.ok(existsSync(path), `missing ${ruleDocPath(id)}`);
      const doc = readFileSync(path, 'utf8');
      assert.match(doc, new RegExp(`^# ${id}\\n`), 'the title is the rule id');
      for (const section of ['## Why', '## Bad', '## Good', '## How to fix', '## Settings', '## Suppression']) {
        assert.ok(doc.includes(`\n${section}\n`), `missing section "${section}"`);
      }
      assert.ok(doc.includes(`"sqlperf.rules": { "${id}": "off" }`), 'the settings key');
      assert.ok(doc.includes(`sqlperf-ignore ${id}`), 'the suppression comment');
      assert.ok(doc.includes(`sqlperf-ignore-file ${id}`), 'the file-wide suppression comment');
    });

    it('has a bad and a good fixture', () => {
      const dir = join(FIXTURES, id);
      const files = existsSync(dir) ? readdirSync(dir) : [];
      const ext = rule.meta.hostOnly ? /\.(ts|js|py|go)$/ : /\.sql$/;
      assert.ok(files.some((f) => f.startsWith('bad.') && ext.test(f)), `missing bad fixture in ${dir}`);
      assert.ok(files.some((f) => f.startsWith('good.') && ext.test(f)), `missing good fixture in ${dir}`);
      if (rule.meta.hostOnly) assert.ok(files.includes('bad.ts'), 'host rules have a TypeScript fixture');
    });
  });
}
