/**
 * A tiny glob matcher for `exclude` patterns. Node 20's `path.matchesGlob` exists but prints
 * an ExperimentalWarning on stderr, which a CI tool must not do, and this is twenty lines.
 *
 * Supported: `**` (any number of path segments, including none), `*` (within a segment),
 * `?` (one character), `{a,b}` alternatives, `[...]` classes. Paths use `/`.
 * A pattern without `/` matches a name at any depth (`*.gen.sql`), as in .gitignore.
 */
export type GlobMatcher = (path: string) => boolean;

export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const regexps = patterns.filter((p) => p.trim() !== '').map(globToRegExp);
  return (path) => regexps.some((r) => r.test(path));
}

export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  if (!p.includes('/')) p = `**/${p}`;
  let re = '';
  let i = 0;
  let braces = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      const atStart = i === 0 || p[i - 1] === '/';
      const atEnd = i + 2 === p.length;
      const slashAfter = p[i + 2] === '/';
      if (atStart && slashAfter) {
        re += '(?:.*/)?'; // `**/`: zero or more directories
        i += 3;
        continue;
      }
      if (atStart && atEnd) {
        // trailing `/**`: the directory itself or anything below it
        if (re.endsWith('/')) re = `${re.slice(0, -1)}(?:/.*)?`;
        else re += '.*';
        i += 2;
        continue;
      }
      re += '.*';
      i += 2;
      continue;
    }
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else if (c === '[') {
      const close = p.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        const body = p.slice(i + 1, close).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
    i++;
  }
  return new RegExp(`^${re}$`);
}
