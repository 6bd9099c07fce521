/**
 * Which callees are SQL calls: the configured `embedded.calls`, where a bare name matches a
 * call's last member (`query` matches `pool.query`) and a dotted one the callee's end
 * (`db.raw` matches `this.db.raw`). Shared by the extractor and the host-file rules, so a
 * call the extractor takes SQL from is the call the rules reason about.
 */
export interface CallMatcher {
  names: Set<string>;
  dotted: string[];
  /** last segments of the dotted entries: a cheap pre-filter */
  dottedLast: Set<string>;
}

export function compileCalls(entries: readonly string[]): CallMatcher {
  const names = new Set<string>();
  const dotted: string[] = [];
  for (const e of entries) {
    const t = e.trim();
    if (!t) continue;
    if (t.includes('.')) dotted.push(t);
    else names.add(t);
  }
  return { names, dotted, dottedLast: new Set(dotted.map((d) => d.slice(d.lastIndexOf('.') + 1))) };
}

/** `last`: the callee's last member; `full`: the whole callee text, computed only when needed. */
export function matchesCall(m: CallMatcher, last: string, full: () => string): boolean {
  if (m.names.has(last)) return true;
  if (!m.dottedLast.has(last)) return false;
  const f = full();
  return m.dotted.some((d) => f === d || f.endsWith('.' + d));
}

const cache = new WeakMap<readonly string[], CallMatcher>();

/** The matcher of a settings list, compiled once per list. */
export function callMatcher(calls: readonly string[]): CallMatcher {
  let m = cache.get(calls);
  if (!m) {
    m = compileCalls(calls);
    cache.set(calls, m);
  }
  return m;
}
