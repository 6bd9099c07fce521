/**
 * package.json's `contributes.configuration` is the single source of truth for the editor's
 * settings, but two parts of it derive from code: one `sqlperf.rules` entry per registered
 * rule, and the default list of SQL calls. This script writes them; the meta-test fails
 * when they drift (run `npm run sync-manifest`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/engine/rules';
import { DEFAULT_SQL_CALLS } from '../server/engine/extract/calls';

export const MANIFEST = join(__dirname, '..', 'package.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function syncedManifest(pkg: Json): Json {
  const copy: Json = JSON.parse(JSON.stringify(pkg));
  const props = copy.contributes.configuration.properties;
  const ruleProps: Json = {};
  for (const rule of [...RULES].sort((a, b) => a.meta.id.localeCompare(b.meta.id))) {
    const off = rule.meta.enabledByDefault === false;
    ruleProps[rule.meta.id] = {
      type: 'string',
      enum: ['error', 'warning', 'information', 'hint', 'off'],
      default: off ? 'off' : rule.meta.defaultSeverity,
      markdownDescription: `${rule.meta.description} ([docs](https://github.com/sqlperf/sqlperf/blob/main/docs/rules/${rule.meta.id}.md))`,
    };
  }
  props['sqlperf.rules'].properties = ruleProps;
  props['sqlperf.embedded.calls'].default = [...DEFAULT_SQL_CALLS];
  return copy;
}

if (require.main === module) {
  const pkg = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  writeFileSync(MANIFEST, JSON.stringify(syncedManifest(pkg), null, 2) + '\n');
  console.log(`package.json: ${RULES.length} rule settings, ${DEFAULT_SQL_CALLS.length} default calls`);
}
