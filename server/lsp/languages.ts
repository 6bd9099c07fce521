/**
 * The document languages the server analyzes. Shared by the client's document selector and
 * the server so that both agree on which documents exist for sqlperf.
 */
export const SUPPORTED_LANGUAGES = [
  'sql',
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'python',
  'go',
] as const;

const supported = new Set<string>(SUPPORTED_LANGUAGES);

export function isSupportedLanguage(languageId: string): boolean {
  return supported.has(languageId);
}
