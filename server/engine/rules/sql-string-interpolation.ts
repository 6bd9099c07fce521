/**
 * Values pasted into SQL text: a template literal `${x}` or `'...' + x` passed to a query
 * call, Python f-strings, `%` and `.format()` passed to `execute`, Go `fmt.Sprintf` or `+`
 * passed to `db.Query`. Two costs: SQL injection when the value comes from a user, and a
 * different statement text per value, so PostgreSQL plans each one afresh (no prepared
 * statement or plan reuse) and pg_stat_statements fills with near-duplicates.
 *
 * Reported per pasted value, in a string whose text starts like a data statement (SELECT,
 * INSERT, UPDATE, DELETE, WITH, MERGE) and is passed to a configured SQL call, directly or
 * through a variable assigned in the same function.
 *
 * Not reported: constants (literals, UPPER_CASE names, a `const` bound to a literal or to a
 * choice between literals, a lookup in an UPPER_CASE / literal allow-list like
 * `SORT_COLUMNS[key]`, Go `const`s), `sql`...`` tagged templates (they send parameters),
 * parameters passed separately.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { namedKids, operatorOf } from '../extract/adapter';
import type { HostModel } from '../extract/host-model';
import type { Rule } from '../types';
import { firstWord, isSqlCall, literalText } from './host-util';

const DATA_WORDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'merge', 'values', 'table']);
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;
/** Functions that quote or escape what they return: `q(name)`, `escapeIdentifier(x)`, `quote_ident`, `sql.Identifier`. */
const QUOTING_CALL = /^(q|qi|quote\w*|escape\w*|ident\w*|format_?ident\w*|identifier|Identifier|pq\.QuoteIdentifier|QuoteIdentifier|QuoteLiteral)$/i;
/** Names that say the value already is SQL text (a rendered fragment, a quoted identifier): `table.sql`, `whereSql`, `quotedName`. */
const SQL_FRAGMENT_NAME = /(sql|ident|identifier|quoted\w*)$/i;

export const sqlStringInterpolation: Rule = {
  meta: {
    id: 'sql-string-interpolation',
    category: 'host-code',
    defaultSeverity: 'warning',
    needs: [],
    hostOnly: true,
    description: 'A value pasted into SQL text: an injection risk, and a new statement text per value that PostgreSQL must plan again; pass it as a parameter.',
  },
  check() {},
  checkHostFile({ model, calls, report }) {
    let bindings: Map<string, Node[]> | null = null;
    const index = (): Map<string, Node[]> => (bindings ??= bindingIndex(model));
    const consts = new Constants(model, index);
    const seen = new Set<number>();
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c || c.tagged || !isSqlCall(c, calls)) continue;
      // the SQL argument: the first that is text (Go puts ctx first)
      for (const arg0 of c.args.slice(0, model.family === 'go' ? 3 : 1)) {
        let arg = arg0;
        // `pool.query(q)`: the text assigned to q in this function (UPPER_CASE: a module constant)
        if (arg.type === 'identifier' && !CONSTANT_NAME.test(arg.text)) arg = resolve(model, arg, index()) ?? arg;
        const pasted = pastedValues(model, arg, consts);
        if (pasted === null) continue;
        for (const v of pasted) {
          if (seen.has(v.startIndex)) continue;
          seen.add(v.startIndex);
          report({
            start: v.startIndex,
            end: v.endIndex,
            message: `\`${short(v.text)}\` is pasted into the SQL text passed to ${c.name}(): if it comes from a user it can change the statement (SQL injection), and each value makes a new statement that PostgreSQL parses and plans again. Pass it as a parameter (${placeholder(model)}); for an identifier (column, direction), map the input to a fixed allow-list of constants.`,
          });
        }
        break;
      }
    }
  },
};

function placeholder(model: HostModel): string {
  return model.family === 'python' ? '%s or :name, values in the second argument' : model.family === 'go' ? '$1, value as an argument' : '$1 and a values array';
}

function short(t: string): string {
  const s = t.replace(/\s+/g, ' ');
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** Declarations and assignments by the name they bind, in document order. */
function bindingIndex(model: HostModel): Map<string, Node[]> {
  const out = new Map<string, Node[]>();
  const types = model.family === 'js' ? ['variable_declarator'] : model.family === 'python' ? ['assignment'] : ['short_var_declaration', 'assignment_statement', 'var_spec'];
  for (const t of types) {
    for (const d of model.nodes(t)) {
      const [name] = binding(model, d, false);
      if (!name) continue;
      let list = out.get(name);
      if (!list) out.set(name, (list = []));
      list.push(d);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.startIndex - b.startIndex);
  return out;
}

/** The value assigned to an identifier latest before its use, in the same function. */
function resolve(model: HostModel, id: Node, index: Map<string, Node[]>): Node | null {
  const list = index.get(id.text);
  if (!list) return null;
  const fn = model.functionAt(id.startIndex);
  for (let i = list.length - 1; i >= 0; i--) {
    const d = list[i];
    if (d.startIndex >= id.startIndex || d.startIndex < (fn?.start ?? 0)) continue;
    if (model.functionAt(d.startIndex) !== fn) continue;
    return binding(model, d, true)[1];
  }
  return null;
}

function binding(model: HostModel, d: Node, withValue: boolean): [string, Node | null] {
  if (model.family === 'js') return [d.childForFieldName('name')?.text ?? '', withValue ? d.childForFieldName('value') : null];
  if (model.family === 'python') return [d.childForFieldName('left')?.text ?? '', withValue ? d.childForFieldName('right') : null];
  const left = d.childForFieldName('left') ?? d.childForFieldName('name');
  const right = withValue ? (d.childForFieldName('right') ?? d.childForFieldName('value')) : null;
  return [left ? (namedKids(left)[0]?.text ?? left.text) : '', right ? (namedKids(right)[0] ?? right) : null];
}

/**
 * Whether a name holds a constant where it is used: JS, every binding of it in the file is a
 * `const` with a constant value and no enclosing function takes a parameter of that name
 * (names are not scoped further here); Go, it is declared `const`. Answers are cached.
 */
class Constants {
  private readonly known = new Map<string, boolean>();
  private goConsts: Set<string> | null = null;

  constructor(
    private readonly model: HostModel,
    private readonly bindings: () => Map<string, Node[]>,
  ) {}

  has(name: string, at: number): boolean {
    if (this.model.functionsAround(at).some((f) => f.params.some((p) => p.name === name))) return false;
    let v = this.known.get(name);
    if (v === undefined) {
      this.known.set(name, false); // a self-reference is not constant
      v = this.compute(name);
      this.known.set(name, v);
    }
    return v;
  }

  private compute(name: string): boolean {
    const model = this.model;
    if (model.family === 'go') {
      if (!this.goConsts) {
        this.goConsts = new Set();
        for (const x of model.text.matchAll(/\bconst\s+(?:\(\s*([\s\S]*?)\)|(\w+))/g)) {
          if (x[2]) this.goConsts.add(x[2]);
          else for (const line of x[1].split('\n')) { const n = /^\s*(\w+)/.exec(line); if (n) this.goConsts.add(n[1]); }
        }
      }
      return this.goConsts.has(name);
    }
    if (model.family !== 'js') return false;
    const list = this.bindings().get(name);
    if (!list || list.length === 0) return false;
    return list.every((d) => {
      const decl = d.parent;
      const value = d.childForFieldName('value');
      return !!decl && decl.type === 'lexical_declaration' && model.text.startsWith('const', decl.startIndex) && !!value && constantValue(model, value, this);
    });
  }
}

/**
 * Code that generates parameter placeholders (`ids.map((_, i) => `$${i + 1}`).join(', ')`,
 * `", ".join(["%s"] * len(ids))`, `strings.Repeat("?,", n)`): it pastes markers, not values.
 */
const PLACEHOLDER_BUILDER = /[`'"](?:\$\$\{|\$[`'"]|%s|\?,?\s*[`'"]|,\s*\?)/;

/** A literal, a constant name, a choice between constants, a lookup in a constant allow-list. */
function constantValue(model: HostModel, n: Node, consts: Constants): boolean {
  const type = n.type;
  if ((type === 'call_expression' || type === 'call' || type === 'binary_expression' || type === 'binary_operator') && PLACEHOLDER_BUILDER.test(n.text)) return true;
  switch (type) {
    case 'string':
      return literalText(n) !== null;
    case 'template_string':
      // a literal, or text built only from safe pieces (`${q(schema)}.${q(name)}`)
      return namedKids(n).every((k) => k.type !== 'template_substitution' || (namedKids(k)[0] !== undefined && constantValue(model, namedKids(k)[0], consts)));
    case 'number': case 'integer': case 'float': case 'int_literal': case 'float_literal':
    case 'true': case 'false': case 'none': case 'null': case 'nil':
    case 'interpreted_string_literal': case 'raw_string_literal':
      return true;
    case 'identifier':
      return CONSTANT_NAME.test(n.text) || SQL_FRAGMENT_NAME.test(n.text) || consts.has(n.text, n.startIndex);
    case 'call_expression': case 'call': {
      const fn = (n.childForFieldName('function')?.text ?? '').replace(/\s+/g, '');
      return QUOTING_CALL.test(fn.slice(fn.lastIndexOf('.') + 1)) || QUOTING_CALL.test(fn);
    }
    case 'parenthesized_expression': case 'as_expression': case 'satisfies_expression':
      return namedKids(n).length > 0 && constantValue(model, namedKids(n)[0], consts);
    case 'ternary_expression': case 'conditional_expression': {
      const k = namedKids(n);
      const branches = model.family === 'python' ? [k[0], k[2]] : [n.childForFieldName('consequence'), n.childForFieldName('alternative')];
      return branches.every((b) => !!b && constantValue(model, b, consts));
    }
    case 'member_expression': case 'attribute': case 'selector_expression':
      if (SQL_FRAGMENT_NAME.test(n.childForFieldName('property')?.text ?? n.childForFieldName('attribute')?.text ?? n.childForFieldName('field')?.text ?? '')) return true;
      return allowListLookup(n, consts);
    case 'subscript_expression': case 'subscript': case 'index_expression':
      return allowListLookup(n, consts);
    case 'object': case 'array':

      return namedKids(n).every((k) => (k.type === 'pair' ? !!k.childForFieldName('value') && constantValue(model, k.childForFieldName('value')!, consts) : constantValue(model, k, consts)));
  }
  return false;
}

/** `COLUMNS[key]`, `SORTABLE.name`: a lookup in a constant allow-list. */
function allowListLookup(n: Node, consts: Constants): boolean {
  const obj = n.childForFieldName('object') ?? n.childForFieldName('value') ?? n.childForFieldName('operand') ?? namedKids(n)[0];
  return !!obj && obj.type === 'identifier' && (CONSTANT_NAME.test(obj.text) || consts.has(obj.text, obj.startIndex));
}

/**
 * The non-constant values pasted into SQL text by `n`, or null when `n` is not SQL text built
 * from pieces (a plain literal, a variable, a tagged template, something else).
 */
function pastedValues(model: HostModel, n: Node, consts: Constants): Node[] | null {
  const isConst = (v: Node) => constantValue(model, v, consts);
  const sqlStart = (t: string | null) => t !== null && DATA_WORDS.has(firstWord(t));
  while (n.type === 'parenthesized_expression') n = namedKids(n)[0] ?? n;
  switch (model.family) {
    case 'js': {
      if (n.type === 'template_string') {
        const subs = namedKids(n).filter((k) => k.type === 'template_substitution');
        if (subs.length === 0 || !sqlStart(n.text.slice(1))) return null;
        return subs.filter((s) => { const e = namedKids(s)[0]; return !e || !isConst(e); });
      }
      if (n.type === 'binary_expression' && operatorOf(n) === '+') return concat(n, sqlStart, isConst, (x) => x.type === 'binary_expression' && operatorOf(x) === '+');
      return null;
    }
    case 'python': {
      if (n.type === 'string' && namedKids(n).some((k) => k.type === 'interpolation')) {
        if (!sqlStart(n.text.replace(/^[A-Za-z]*("""|'''|"|')/, ''))) return null;
        return namedKids(n).filter((k) => k.type === 'interpolation' && !(namedKids(k)[0] && isConst(namedKids(k)[0])));
      }
      if (n.type === 'binary_operator' && operatorOf(n) === '%') {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        if (!right || !sqlStart(literalText(left))) return null;
        const items = right.type === 'tuple' ? namedKids(right) : [right];
        return items.filter((v) => !isConst(v));
      }
      if (n.type === 'call') {
        const fn = n.childForFieldName('function');
        if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return null;
        if (!sqlStart(literalText(fn.childForFieldName('object')))) return null;
        return namedKids(n.childForFieldName('arguments') ?? n).map((a) => (a.type === 'keyword_argument' ? a.childForFieldName('value') ?? a : a)).filter((v) => !isConst(v));
      }
      if (n.type === 'binary_operator' && operatorOf(n) === '+') return concat(n, sqlStart, isConst, (x) => x.type === 'binary_operator' && operatorOf(x) === '+');
      return null;
    }
    case 'go': {
      if (n.type === 'call_expression' && /^fmt\.Sprintf$/.test((n.childForFieldName('function')?.text ?? '').replace(/\s+/g, ''))) {
        const args = namedKids(n.childForFieldName('arguments') ?? n);
        if (!sqlStart(literalText(args[0]))) return null;
        return args.slice(1).filter((v) => !isConst(v));
      }
      if (n.type === 'binary_expression' && operatorOf(n) === '+') return concat(n, sqlStart, isConst, (x) => x.type === 'binary_expression' && operatorOf(x) === '+');
      return null;
    }
  }
}

function concat(n: Node, sqlStart: (t: string | null) => boolean, isConst: (v: Node) => boolean, isPlus: (x: Node) => boolean): Node[] | null {
  const leaves: Node[] = [];
  const stack = [n];
  while (stack.length) {
    const x = stack.pop()!;
    if (isPlus(x)) {
      const r = x.childForFieldName('right');
      const l = x.childForFieldName('left');
      if (r) stack.push(r);
      if (l) stack.push(l);
    } else leaves.push(x);
  }
  if (!sqlStart(literalText(leaves[0]))) return null;
  return leaves.filter((v) => literalText(v) === null && !isConst(v));
}
