/**
 * A small model of a host file for host-file rules (pool misuse, sequential queries,
 * interpolated SQL): the nodes those rules look at, gathered in one pass over the tree that
 * extraction already parsed (tree-sitter's own `descendantsOfType`, a walk in WebAssembly),
 * plus the questions every such rule asks: which function am I in, is it a request handler,
 * what is this call's callee.
 *
 * The model holds tree-sitter nodes: it is valid only inside the `inspect` callback of
 * extractEmbedded (the tree is freed right after). Rules must not keep it.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { Ancestry, namedKids } from './adapter';
import type { HostLanguage } from './types';

export type HostFamily = 'js' | 'python' | 'go';

export function familyOf(language: HostLanguage): HostFamily {
  return language === 'python' ? 'python' : language === 'go' ? 'go' : 'js';
}

export interface HostParam {
  name: string;
  /** the type as written ('' when none) */
  type: string;
}

export interface HostFunction {
  node: Node;
  start: number;
  end: number;
  /** declared name, or the variable/property it is assigned to; '' when anonymous */
  name: string;
  params: HostParam[];
}

export interface HostCall {
  node: Node;
  /** the callee without `await`/parentheses */
  callee: Node;
  /** dotted callee text without whitespace, e.g. `pool.query`, `db.QueryRow`, `cursor.execute` */
  name: string;
  /** last segment of `name` (`query`) */
  last: string;
  /** the part before the last segment (`pool`, `this.pool`), '' for a plain function call */
  receiver: string;
  /** positional and keyword arguments in order (for a tagged template: the template) */
  args: Node[];
  tagged: boolean;
  /** JS `new X(...)` */
  isNew: boolean;
}

const TYPES: Record<HostFamily, { calls: string[]; functions: string[]; other: string[] }> = {
  js: {
    calls: ['call_expression', 'new_expression'],
    functions: ['function_declaration', 'function_expression', 'function', 'arrow_function', 'method_definition', 'generator_function_declaration', 'generator_function'],
    other: ['try_statement', 'statement_block', 'program', 'variable_declarator', 'lexical_declaration'],
  },
  python: {
    calls: ['call'],
    functions: ['function_definition'],
    other: ['try_statement', 'block', 'module', 'assignment'],
  },
  go: {
    calls: ['call_expression'],
    functions: ['function_declaration', 'method_declaration', 'func_literal'],
    other: ['block', 'short_var_declaration', 'assignment_statement', 'var_spec'],
  },
};

const JS_PARENS = new Set(['parenthesized_expression', 'non_null_expression', 'await_expression', 'instantiation_expression']);

export class HostModel {
  readonly family: HostFamily;
  /** every call (JS: also `new X(...)`), in document order */
  readonly calls: Node[] = [];
  /** functions in document order (outer before inner) */
  readonly functions: HostFunction[] = [];
  /** nodes of the `other` types above by type, in document order */
  private readonly byType = new Map<string, Node[]>();
  private readonly callInfo = new Map<number, HostCall | null>();
  private readonly handlerInfo = new Map<number, boolean>();
  private ancestry: Ancestry | null = null;
  private readonly newIds = new Set<number>();

  constructor(
    readonly text: string,
    readonly language: HostLanguage,
    readonly root: Node,
  ) {
    this.family = familyOf(language);
    const t = TYPES[this.family];
    const fnTypes = new Set(t.functions);
    const callTypes = new Set(t.calls);
    const known = [...t.calls, ...t.functions, ...t.other].filter((ty) => root.tree.language.idForNodeType(ty, true) !== null);
    for (const node of root.descendantsOfType(known)) {
      if (!node) continue;
      const type = node.type;
      if (callTypes.has(type)) {
        this.calls.push(node);
        if (type === 'new_expression') this.newIds.add(node.id);
      }
      else if (fnTypes.has(type)) this.functions.push(new LazyFunction(this, node));
      else {
        let list = this.byType.get(type);
        if (!list) this.byType.set(type, (list = []));
        list.push(node);
      }
    }
    if (root.type === 'program' || root.type === 'module') {
      const list = this.byType.get(root.type) ?? [];
      if (!list.some((n) => n.id === root.id)) list.unshift(root);
      this.byType.set(root.type, list);
    }
  }

  /** nodes of one of the gathered types (see TYPES.other), in document order */
  nodes(type: string): readonly Node[] {
    return this.byType.get(type) ?? [];
  }

  /**
   * The innermost gathered node of `type` containing [start, end) (nodes of one type are
   * nested or disjoint, so it is the containing one that starts last), or null.
   */
  innermost(type: string, start: number, end = start): Node | null {
    const list = this.nodes(type);
    let lo = 0;
    let hi = list.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].startIndex <= start) {
        i = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (; i >= 0; i--) if (list[i].endIndex >= end) return list[i];
    return null;
  }

  /** root..node */
  pathTo(node: Node): Node[] {
    this.ancestry ??= new Ancestry(this.root);
    return this.ancestry.pathTo(node);
  }

  /** innermost function containing [start, end), or null at module level */
  functionAt(start: number, end = start): HostFunction | null {
    // functions are nested or disjoint: the containing one that starts last is the innermost
    for (let i = this.lastStartingBefore(start); i >= 0; i--) {
      const f = this.functions[i];
      if (f.end >= end) return f;
    }
    return null;
  }

  /** the functions around [start, end), innermost first */
  functionsAround(start: number, end = start): HostFunction[] {
    const out: HostFunction[] = [];
    for (let i = this.lastStartingBefore(start); i >= 0; i--) {
      const f = this.functions[i];
      if (f.end >= end) out.push(f);
    }
    return out;
  }

  /** index of the last function starting at or before `pos`, -1 when none */
  private lastStartingBefore(pos: number): number {
    let lo = 0;
    let hi = this.functions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.functions[mid].start <= pos) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  call(node: Node): HostCall | null {
    let c = this.callInfo.get(node.id);
    if (c === undefined) {
      c = this.describeCall(node);
      this.callInfo.set(node.id, c);
    }
    return c;
  }

  /** A request handler: a route function, or one whose parameters are a request and a response. */
  isHandler(fn: HostFunction): boolean {
    let h = this.handlerInfo.get(fn.node.id);
    if (h === undefined) {
      h = this.detectHandler(fn);
      this.handlerInfo.set(fn.node.id, h);
    }
    return h;
  }

  /** Whether the call is awaited (JS `await x()`, Python `await x()`); Go has no await. */
  awaited(node: Node): boolean {
    let up = node.parent;
    while (up && up.type === 'parenthesized_expression') up = up.parent;
    return !!up && (up.type === 'await_expression' || up.type === 'await');
  }

  private describeCall(node: Node): HostCall | null {
    // Every tree-sitter access is a call into WebAssembly: read as little as possible here
    // (this runs for every call of the file) and the rest on demand.
    const isNew = this.newIds.has(node.id);
    const fn = node.childForFieldName(isNew ? 'constructor' : 'function');
    if (!fn) return null;
    let callee = fn;
    if (!/^[\w$.\s?]+$/.test(this.text.slice(fn.startIndex, fn.endIndex))) {
      for (let guard = 0; guard < 16 && JS_PARENS.has(callee.type); guard++) {
        const inner = namedKids(callee)[0];
        if (!inner) break;
        callee = inner;
      }
    }
    const name = this.text.slice(callee.startIndex, callee.endIndex).replace(/\s+/g, '').replace(/\?\./g, '.');
    const dot = name.lastIndexOf('.');
    // JS tagged template: the template follows the tag
    const tagged = this.family === 'js' && !isNew && /^\s*`/.test(this.text.slice(fn.endIndex, fn.endIndex + 8));
    let args: Node[] | undefined;
    let argsNode: Node | null | undefined;
    return {
      node,
      callee,
      name,
      last: dot < 0 ? name : name.slice(dot + 1),
      receiver: dot < 0 ? '' : name.slice(0, dot),
      // read on first use: most calls of a file are never asked for their arguments
      get args(): Node[] {
        if (args) return args;
        argsNode ??= node.childForFieldName('arguments');
        return (args = !argsNode ? [] : tagged ? [argsNode] : namedKids(argsNode));
      },
      tagged,
      isNew,
    };
  }

  /** @internal (LazyFunction) */
  functionName(node: Node): string {
    let name = node.childForFieldName('name')?.text ?? '';
    if (!name && this.family === 'js') {
      // `const handler = async (req, res) => ...`, `{ handler: function () {} }`
      const p = node.parent;
      if (p?.type === 'variable_declarator') name = p.childForFieldName('name')?.text ?? '';
      else if (p?.type === 'pair') name = p.childForFieldName('key')?.text ?? '';
    }
    return name;
  }

  /** @internal (LazyFunction) */
  paramsOf(node: Node): HostParam[] {
    const out: HostParam[] = [];
    const single = node.childForFieldName('parameter'); // JS `x => ...`
    if (single) return [{ name: single.text, type: '' }];
    const list = node.childForFieldName('parameters');
    if (!list) return out;
    for (const p of namedKids(list)) {
      switch (p.type) {
        case 'identifier':
          out.push({ name: p.text, type: '' });
          break;
        // JS / TS
        case 'required_parameter':
        case 'optional_parameter':
          out.push({ name: p.childForFieldName('pattern')?.text ?? '', type: (p.childForFieldName('type')?.text ?? '').replace(/^:\s*/, '') });
          break;
        case 'assignment_pattern':
          out.push({ name: p.childForFieldName('left')?.text ?? '', type: '' });
          break;
        // Python
        case 'typed_parameter':
          out.push({ name: namedKids(p)[0]?.text ?? '', type: p.childForFieldName('type')?.text ?? '' });
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          out.push({ name: p.childForFieldName('name')?.text ?? '', type: p.childForFieldName('type')?.text ?? '' });
          break;
        // Go: `a, b int` declares two
        case 'parameter_declaration': {
          const type = p.childForFieldName('type')?.text ?? '';
          const names = namedKids(p).filter((k) => k.type === 'identifier');
          if (names.length === 0) out.push({ name: '', type });
          for (const n of names) out.push({ name: n.text, type });
          break;
        }
        default:
          out.push({ name: p.text, type: '' });
      }
    }
    return out;
  }

  private detectHandler(fn: HostFunction): boolean {
    const names = fn.params.map((p) => p.name);
    const types = fn.params.map((p) => p.type.replace(/\s+/g, ''));
    if (this.family === 'go') {
      return (
        (types.includes('http.ResponseWriter') && types.includes('*http.Request')) ||
        types.some((t) => t === '*gin.Context' || t === 'echo.Context' || t === '*fiber.Ctx')
      );
    }
    if (this.family === 'python') {
      let p = fn.node.parent;
      if (p?.type === 'decorated_definition') {
        for (const d of namedKids(p)) {
          if (d.type === 'decorator' && /\.\s*(route|get|post|put|patch|delete|api_route|websocket)\s*\(/.test(d.text)) return true;
        }
      }
      p = null;
      const first = names[0] === 'self' ? names[1] : names[0];
      return first === 'request' || types.some((t) => t === 'Request' || t === 'HttpRequest');
    }
    // JavaScript / TypeScript: (req, res) parameters, or a function passed to app.get('/x', ...)
    if (/^(req|request)$/.test(names[0] ?? '') && /^(res|response|reply)$/.test(names[1] ?? '')) return true;
    if (/^(Request|NextRequest|FastifyRequest)\b/.test(types[0] ?? '')) return true;
    const args = fn.node.parent;
    const call = args?.type === 'arguments' ? args.parent : null;
    if (call?.type === 'call_expression') {
      const c = this.call(call);
      const first = c?.args[0];
      if (c && c.receiver && /^(get|post|put|patch|delete|all|head|options|use|route)$/.test(c.last) && first && /^(string|template_string)$/.test(first.type) && /^.\//.test(first.text)) {
        return true;
      }
    }
    return false;
  }
}

/** Name and parameters are read on first use: most functions of a file are never asked. */
class LazyFunction implements HostFunction {
  readonly start: number;
  readonly end: number;
  private _name: string | undefined;
  private _params: HostParam[] | undefined;

  constructor(
    private readonly model: HostModel,
    readonly node: Node,
  ) {
    this.start = node.startIndex;
    this.end = node.endIndex;
  }

  get name(): string {
    return (this._name ??= this.model.functionName(this.node));
  }

  get params(): HostParam[] {
    return (this._params ??= this.model.paramsOf(this.node));
  }
}

/** Whether `name` (a whole identifier) occurs in `text`. */
export function mentions(text: string, name: string): boolean {
  if (!name) return false;
  let i = text.indexOf(name);
  while (i >= 0) {
    const before = i === 0 ? '' : text[i - 1];
    const after = text[i + name.length] ?? '';
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
    i = text.indexOf(name, i + 1);
  }
  return false;
}
