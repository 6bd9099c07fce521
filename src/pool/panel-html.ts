/** The pool panel's HTML shell: the plan panel's (strict CSP, nonce'd script, our stylesheet) with its own title. Pure. */
import { buildPanelHtml, type PanelHtmlOptions } from '../panels/html';

export type PoolHtmlOptions = Omit<PanelHtmlOptions, 'title'>;

export function buildPoolHtml(o: PoolHtmlOptions): string {
  return buildPanelHtml({ ...o, title: 'SQL Perf: Pool Diagnostics' });
}
