/**
 * Where each rule's page (docs/rules/<id>.md) lives. Diagnostics, hovers and SARIF link
 * to it. The pages ship inside the extension, so the editor links the local copy (it
 * opens offline, in the editor); outside the editor the repository's copy is linked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pkg from '../../package.json';

/** `https://host/owner/repo` from the manifest's `repository.url` (`.git`, `git+` stripped). */
export const HOMEPAGE: string = (() => {
  const repo = (pkg as { repository?: string | { url?: string } }).repository;
  const url = typeof repo === 'string' ? repo : (repo?.url ?? '');
  return url.replace(/^git\+/, '').replace(/\.git$/, '');
})();

export function ruleDocsWebUrl(id: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${encodeURIComponent(id)}.md`;
}

/**
 * The shipped page as a file URI when it exists (bundles run from dist/, the pages are in
 * docs/rules/ beside it), else the web page.
 */
export function ruleDocsUrl(id: string, bundleDir: string = __dirname): string {
  const local = join(bundleDir, '..', 'docs', 'rules', `${id}.md`);
  return existsSync(local) ? pathToFileURL(local).toString() : ruleDocsWebUrl(id);
}
