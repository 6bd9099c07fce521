/**
 * Parts of package.json and the README derive from the code: one `sqlperf.rules` setting
 * per registered rule, the default list of SQL calls, and the README's rules table. This
 * script writes them; the meta-test fails when they drift (run `npm run sync`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../server/engine/rules';
import { DEFAULT_SQL_CALLS } from '../server/engine/extract/calls';

export const MANIFEST = join(__dirname, '..', 'package.json');
export const README = join(__dirname, '..', 'README.md');
const TABLE_START = '<!-- rules:start (npm run sync) -->';
const TABLE_END = '<!-- rules:end -->';

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

/** The README with its rules table (between the markers) regenerated from the registry. */
export function syncedReadme(readme: string): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${TABLE_START} ... ${TABLE_END}`);
  const rows = [...RULES]
    .sort((x, y) => x.meta.category.localeCompare(y.meta.category) || x.meta.id.localeCompare(y.meta.id))
    .map((r) => `| [\`${r.meta.id}\`](docs/rules/${r.meta.id}.md) | ${r.meta.category} | ${r.meta.enabledByDefault === false ? 'off' : r.meta.defaultSeverity} | ${r.meta.description.replace(/\|/g, '\\|')} |`);
  const table = ['| rule | category | default | what it finds |', '|---|---|---|---|', ...rows].join('\n');
  return `${readme.slice(0, a + TABLE_START.length)}\n${table}\n${readme.slice(b)}`;
}

if (require.main === module) {
  const pkg = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  writeFileSync(MANIFEST, JSON.stringify(syncedManifest(pkg), null, 2) + '\n');
  writeFileSync(README, syncedReadme(readFileSync(README, 'utf8')));
  console.log(`package.json: ${RULES.length} rule settings, ${DEFAULT_SQL_CALLS.length} default calls; README: rules table`);
}
