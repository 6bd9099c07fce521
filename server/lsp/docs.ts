/**
 * Where each rule's documentation page lives. Defined once: diagnostics link to it through
 * `codeDescription.href` and hovers repeat the link.
 */
import { SYNTAX_ERROR } from '../engine/types';
import { ruleById } from '../engine/rules';
import { ruleDocsUrl } from '../engine/docs';

/**
 * Every diagnostic carries its rule's link, and a large file has thousands of diagnostics
 * per edit: look each page up on disk once per process (the shipped pages do not move).
 */
const urls = new Map<string, string | undefined>();

/** The docs page of a registered rule; undefined for ids without a page (syntax errors). */
export function docsUrl(ruleId: string): string | undefined {
  if (urls.has(ruleId)) return urls.get(ruleId);
  const url = ruleId === SYNTAX_ERROR || !ruleById(ruleId) ? undefined : ruleDocsUrl(ruleId);
  urls.set(ruleId, url);
  return url;
}
