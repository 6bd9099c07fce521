/**
 * The manifest's settings must match the code: a settings entry per registered rule (with
 * its default severity) and the default list of SQL calls.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MANIFEST, README, syncedManifest, syncedReadme } from '../../scripts/sync';
import { RULES } from '../../server/engine/rules';
import { DEFAULT_SETTINGS } from '../../server/engine/settings';

const pkg = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const props = pkg.contributes.configuration.properties;

describe('package.json settings', () => {
  it('has a sqlperf.rules entry for every registered rule (run `npm run sync` if not)', () => {
    for (const rule of RULES) {
      const entry = props['sqlperf.rules'].properties[rule.meta.id];
      assert.ok(entry, `no settings entry for ${rule.meta.id}`);
      assert.equal(entry.default, rule.meta.enabledByDefault === false ? 'off' : rule.meta.defaultSeverity);
    }
    assert.deepEqual(Object.keys(props['sqlperf.rules'].properties).sort(), RULES.map((r) => r.meta.id).sort());
  });

  it('is in sync with the code (run `npm run sync` if not)', () => {
    assert.deepEqual(pkg, syncedManifest(pkg));
  });

  it("lists every rule in the README's rules table (run `npm run sync` if not)", () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(readme, syncedReadme(readme));
  });

  it('declares defaults equal to the engine defaults', () => {
    assert.equal(props['sqlperf.dialect'].default, DEFAULT_SETTINGS.dialect);
    assert.equal(props['sqlperf.thresholds.complexity'].default, DEFAULT_SETTINGS.thresholds.complexity);
    assert.equal(props['sqlperf.thresholds.joins'].default, DEFAULT_SETTINGS.thresholds.joins);
    assert.equal(props['sqlperf.thresholds.offset'].default, DEFAULT_SETTINGS.thresholds.offset);
    assert.equal(props['sqlperf.maxFileSizeKB'].default, DEFAULT_SETTINGS.maxFileSizeKB);
    assert.deepEqual(props['sqlperf.embedded.calls'].default, DEFAULT_SETTINGS.embedded.calls);
    assert.equal(props['sqlperf.embedded.enabled'].default, DEFAULT_SETTINGS.embedded.enabled);
    assert.equal(props['sqlperf.codeLens.complexity'].default, DEFAULT_SETTINGS.codeLens.complexity);
  });

  it('activates on SQL and every host language', () => {
    for (const lang of ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go']) {
      assert.ok(pkg.activationEvents.includes(`onLanguage:${lang}`), lang);
    }
    assert.match(pkg.engines.vscode, /^\^1\.(\d+)\./);
    assert.ok(Number(/^\^1\.(\d+)\./.exec(pkg.engines.vscode)![1]) <= 100, 'engines.vscode must not be newer than 1.100 (code-server 4.100)');
  });
});
