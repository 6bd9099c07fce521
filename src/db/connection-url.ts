/**
 * Parses a PostgreSQL connection URL (`postgres[ql]://user:pass@host:port/db?sslmode=...`)
 * into explicit fields. node-postgres can take a `connectionString`, but then the URL's
 * values override explicit ones (application_name, ssl), and we want ours to win.
 */

export interface ParsedConnectionUrl {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: string;
  /** other query parameters, passed through as-is (options, application_name, ...) */
  params: Record<string, string>;
}

export type UrlParseResult = { ok: true; value: ParsedConnectionUrl } | { ok: false; message: string };

export function parseConnectionUrl(url: string): UrlParseResult {
  const m = /^(postgres(?:ql)?):\/\//i.exec(url.trim());
  if (!m) return { ok: false, message: 'expected a URL starting with postgresql:// or postgres://' };
  const rest = url.trim().slice(m[0].length);
  // postgresql:///db?host=/socket has no authority at all
  const noAuthority = rest.startsWith('/') || rest.startsWith('?');
  let parsed: URL;
  try {
    // WHATWG URL only knows the authority rules of "special" schemes; swap in http so
    // user, password, host and port are parsed the same way.
    parsed = new URL('http://' + (noAuthority ? 'placeholder' : '') + rest);
  } catch {
    return { ok: false, message: 'the URL is malformed' };
  }
  const params: Record<string, string> = {};
  parsed.searchParams.forEach((v, k) => (params[k] = v));
  const value: ParsedConnectionUrl = { params };
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  if (parsed.hostname && !noAuthority) value.host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (params.host) value.host = params.host; // unix socket directory: ?host=/var/run/postgresql
  if (parsed.port) value.port = Number(parsed.port);
  else if (params.port && /^\d+$/.test(params.port)) value.port = Number(params.port);
  const db = decode(parsed.pathname.replace(/^\//, ''));
  if (db) value.database = db;
  if (parsed.username) value.user = decode(parsed.username);
  if (parsed.password) value.password = decode(parsed.password);
  if (params.sslmode) value.sslmode = params.sslmode;
  for (const k of ['host', 'port', 'sslmode']) delete params[k];
  return { ok: true, value };
}
