/**
 * Where each rule's documentation page lives. Defined once: diagnostics link to it through
 * `codeDescription.href` and hovers repeat the link.
 */
import { SYNTAX_ERROR } from '../engine/types';
import { ruleById } from '../engine/rules';
import { ruleDocsUrl } from '../engine/docs';

/** The docs page of a registered rule; undefined for ids without a page (syntax errors). */
export function docsUrl(ruleId: string): string | undefined {
  if (ruleId === SYNTAX_ERROR || !ruleById(ruleId)) return undefined;
  return ruleDocsUrl(ruleId);
}
