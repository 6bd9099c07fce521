/**
 * Decoding of one escape sequence (the text of a tree-sitter `escape_sequence` node) into
 * the characters it stands for, per host language. The SQL analyzer must see what the
 * database will receive: `\'` is a quote, `\n` a newline, `\<newline>` nothing at all.
 * Anything we cannot decode meaningfully becomes U+FFFD rather than an exception.
 */

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', a: '\x07' };

function codePoint(hex: string): string {
  const cp = parseInt(hex, 16);
  return Number.isFinite(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
}

function isLineBreak(s: string): boolean {
  return /^(\r\n|\r|\n|\u2028|\u2029)$/.test(s);
}

/** JavaScript / TypeScript string and template escapes. */
export function decodeJsEscape(raw: string): string {
  if (raw.length < 2 || raw[0] !== '\\') return raw;
  const rest = raw.slice(1);
  const c = rest[0];
  if (isLineBreak(rest)) return ''; // line continuation
  if (c === 'x' && rest.length === 3) return codePoint(rest.slice(1));
  if (c === 'u') return codePoint(rest[1] === '{' ? rest.slice(2, -1) : rest.slice(1, 5));
  if (c === 'a') return 'a'; // \a is not an escape in JS
  if (c in SIMPLE) return SIMPLE[c];
  if (/^[0-7]+$/.test(rest)) return String.fromCharCode(parseInt(rest, 8)); // \0 and legacy octal
  return rest; // \' \" \\ \` \$ and identity escapes
}

/** Python string escapes (not called for raw strings). */
export function decodePyEscape(raw: string, bytes: boolean): string {
  if (raw.length < 2 || raw[0] !== '\\') return raw;
  const rest = raw.slice(1);
  const c = rest[0];
  if (isLineBreak(rest)) return '';
  if (c === 'x') return codePoint(rest.slice(1, 3));
  if (!bytes && c === 'u') return codePoint(rest.slice(1, 5));
  if (!bytes && c === 'U') return codePoint(rest.slice(1, 9));
  if (!bytes && c === 'N') return '\ufffd'; // \N{NAME}: no Unicode name table here; one char is enough
  if (c in SIMPLE) return SIMPLE[c];
  if (/^[0-7]{1,3}$/.test(rest)) return String.fromCharCode(parseInt(rest, 8));
  if (c === '\\' || c === "'" || c === '"') return c;
  return raw; // unknown escapes keep their backslash in Python
}

/** Go interpreted string escapes. */
export function decodeGoEscape(raw: string): string {
  if (raw.length < 2 || raw[0] !== '\\') return raw;
  const rest = raw.slice(1);
  const c = rest[0];
  if (c === 'x') return codePoint(rest.slice(1, 3));
  if (c === 'u') return codePoint(rest.slice(1, 5));
  if (c === 'U') return codePoint(rest.slice(1, 9));
  if (c in SIMPLE) return SIMPLE[c];
  if (/^[0-7]{3}$/.test(rest)) return String.fromCharCode(parseInt(rest, 8));
  return rest; // \\ \' \"
}
