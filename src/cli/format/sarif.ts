/**
 * SARIF 2.1.0, the format GitHub code scanning and most CI dashboards ingest. Columns are
 * UTF-16 code units (SARIF's default `columnKind`, stated explicitly), end columns exclusive.
 * Paths are relative to SRCROOT, the directory the command ran in, so the log is portable.
 */
import { pathToFileURL } from 'node:url';
import type { CheckResult } from '../check';
import { RULES } from '../../../server/engine/rules';
import type { SqlperfSettings } from '../../../server/engine/settings';
import { SYNTAX_ERROR, type Severity } from '../../../server/engine/types';
import { HOMEPAGE, ruleHelpUri, TOOL_NAME, VERSION } from '../meta';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';

export function sarifLevel(s: Severity): Level {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';
}

interface RuleDescriptor {
  id: string;
  shortDescription: { text: string };
  helpUri: string;
  defaultConfiguration: { level: Level; enabled?: boolean };
  properties: { category: string };
}

function ruleDescriptors(settings: SqlperfSettings): RuleDescriptor[] {
  const rules: RuleDescriptor[] = [
    {
      id: SYNTAX_ERROR,
      shortDescription: { text: 'The statement does not parse; nothing else is checked in it.' },
      helpUri: ruleHelpUri(SYNTAX_ERROR),
      defaultConfiguration: { level: 'error' },
      properties: { category: 'correctness' },
    },
  ];
  for (const { meta } of RULES) {
    const setting = settings.rules[meta.id] ?? (meta.enabledByDefault === false ? 'off' : meta.defaultSeverity);
    rules.push({
      id: meta.id,
      shortDescription: { text: meta.description },
      helpUri: ruleHelpUri(meta.id),
      // The level this run used (the repository's settings), not only the built-in default.
      defaultConfiguration: setting === 'off' ? { level: sarifLevel(meta.defaultSeverity), enabled: false } : { level: sarifLevel(setting) },
      properties: { category: meta.category },
    });
  }
  return rules;
}

export function formatSarif(result: CheckResult, settings: SqlperfSettings, cwd: string): string {
  const rules = ruleDescriptors(settings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.findings.map((f) => {
    const ruleIndex = index.get(f.rule);
    return {
      ruleId: f.rule,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(f.file), uriBaseId: 'SRCROOT' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
    };
  });
  const base = pathToFileURL(cwd.endsWith('/') ? cwd : `${cwd}/`).href;
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, informationUri: HOMEPAGE, rules } },
        originalUriBaseIds: { SRCROOT: { uri: base } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: true,
            // Skipped files are not results, but a reader of the log should know about them.
            toolExecutionNotifications: result.skipped.map((s) => ({
              level: 'note',
              message: { text: `skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(s.file), uriBaseId: 'SRCROOT' } } }],
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
