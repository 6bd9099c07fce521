/**
 * Removes secrets from text before it reaches a message, a log or a stack trace shown to
 * the user. Passwords must never leave the process in clear, including inside connection
 * strings echoed back by a driver or pasted by the user.
 */

/** Secrets shorter than this are scrubbed only where their position is known (URL, key=value):
 * replacing every "ab" in a message would mangle it and still not hide much. */
const MIN_FREE_TEXT_SECRET = 4;

const MASK = '***';

/**
 * Masks the password part of URLs (`scheme://user:secret@host` -> `scheme://user:***@host`),
 * libpq `password=...` pairs, JSON `"password": "..."` fields, and every occurrence of the
 * given secrets.
 */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text
    // userinfo in any URL-like string; the user name stays, it helps the reader
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@\s/]*)@/gi, `$1:${MASK}@`)
    // libpq key/value conninfo and query-string forms: password=..., sslpassword=...
    .replace(/\b((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&;]+)/gi, `$1${MASK}`)
    // JSON or JS object dumps of a config
    .replace(/(["']?(?:ssl)?password["']?\s*:\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/gi, `$1"${MASK}"`);
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_FREE_TEXT_SECRET) continue;
    out = out.split(secret).join(MASK);
    // drivers may echo the URL-encoded form of the password
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(MASK);
  }
  return out;
}
