/**
 * Facts about the tool itself, from package.json (bundled by esbuild), so the version and
 * the links in SARIF output never drift from the manifest.
 */
import pkg from '../../package.json';

export const TOOL_NAME = 'sqlperf';
export const VERSION: string = pkg.version;

export { HOMEPAGE, ruleDocsWebUrl as ruleHelpUri } from '../../server/engine/docs';
