/**
 * A connection pool created per request: inside a request handler, or inside a function a
 * handler of the same file calls. Each request then opens fresh connections (TCP, TLS,
 * authentication, a new backend process: milliseconds each), never reuses them, and
 * usually leaks the pool, until the server runs out of connection slots.
 *
 * Handlers: route callbacks (`app.get('/x', ...)`, `router.post`), functions whose
 * parameters are a request and a response (`(req, res)`, Go `(w http.ResponseWriter,
 * r *http.Request)`, gin/echo/fiber contexts), Flask/FastAPI route decorators, Django-style
 * `def view(request)`.
 *
 * Not reported: pools at module level, in main()/init(), in a factory that no handler
 * calls, and lazy singletons that assign the pool to an outer variable or a field
 * (`pool ??= new Pool()`, `this.pool = ...`, Go `db, err = sql.Open(...)`, Python `global`).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import type { HostFunction, HostModel } from '../extract/host-model';
import { mentions } from '../extract/host-model';
import type { Rule } from '../types';
import { lineOf, poolConstruction } from './host-util';

export const poolPerRequest: Rule = {
  meta: {
    id: 'pool-per-request',
    category: 'pool',
    defaultSeverity: 'warning',
    needs: [],
    hostOnly: true,
    description: 'A connection pool created inside a request handler: every request opens new connections and leaks a pool; create it once at startup.',
  },
  check() {},
  checkHostFile({ model, report }) {
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c) continue;
      const lib = poolConstruction(model, c);
      if (!lib) continue;
      const around = model.functionsAround(node.startIndex, node.endIndex);
      if (around.length === 0 || lazySingleton(model, node, around[0])) continue;
      const what = model.family === 'js' && node.type === 'new_expression' ? `new ${c.name}(...)` : `${c.name}(...)`;
      const range = { start: node.startIndex, end: c.callee.endIndex };
      const handler = around.find((f) => model.isHandler(f));
      if (handler) {
        report({ ...range, message: `${what} runs inside a request handler (line ${lineOf(handler.node)}): every request creates a new pool and opens new connections, which are never reused. Create the pool once at startup (module level or main) and share it.` });
        continue;
      }
      // a factory: reported when a handler of this file calls it
      const named = around.find((f) => f.name);
      if (!named || /^(main|init|__init__|setup|startup|bootstrap|createApp|create_app|lifespan)$/i.test(named.name)) continue;
      const at = callFromHandler(model, named.name);
      if (at) {
        report({ ...range, message: `${what} runs in \`${named.name}\`, which the request handler on line ${lineOf(at)} calls: every request creates a new pool and opens new connections. Create the pool once at startup and share it (or cache it: create it on the first call only).` });
      }
    }
  },
};

/** The first call of `name` (directly, or as this.name / self.name) made inside a request handler. */
function callFromHandler(model: HostModel, name: string): Node | null {
  for (const node of model.calls) {
    const c = model.call(node);
    if (!c || c.last !== name || (c.receiver && !/^(this|self)$/.test(c.receiver))) continue;
    if (model.functionsAround(node.startIndex, node.endIndex).some((f) => model.isHandler(f))) return node;
  }
  return null;
}

/** `pool ??= new Pool()`, `this.pool = ...`, Go `db, err = sql.Open(...)`, Python `global engine`: created once, kept outside. */
function lazySingleton(model: HostModel, node: Node, fn: HostFunction): boolean {
  let p = node.parent;
  while (p && (p.type === 'parenthesized_expression' || p.type === 'await_expression' || p.type === 'await')) p = p.parent;
  if (!p) return false;
  switch (model.family) {
    case 'js':
      return p.type === 'assignment_expression' || p.type === 'augmented_assignment_expression';
    case 'go':
      return p.type === 'expression_list' && p.parent?.type === 'assignment_statement';
    case 'python': {
      if (p.type !== 'assignment') return false;
      const left = p.childForFieldName('left');
      if (!left) return false;
      if (left.type === 'attribute') return true;
      const body = model.text.slice(fn.start, fn.end);
      const globals = /\b(?:global|nonlocal)\s+([^\n]*)/g;
      for (const m of body.matchAll(globals)) if (mentions(m[1], left.text)) return true;
      return false;
    }
  }
}
