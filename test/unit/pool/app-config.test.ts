import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPoolConfigs, loadPoolFinder } from '../../../src/pool/app-config';
import { appFindings } from '../../../src/pool/findings';

const REPO = join(__dirname, '..', '..', '..');
const example = (f: string) => findPoolConfigs(readFileSync(join(REPO, 'examples', 'app', f), 'utf8'), `examples/app/${f}`);

before(loadPoolFinder);

describe('pool config finder: examples/', () => {
  it('node-postgres new Pool({...}) in orders.ts', () => {
    const [p, ...rest] = example('orders.ts');
    assert.equal(rest.length, 0);
    assert.equal(p.library, 'node-postgres');
    assert.equal(p.line, 5);
    assert.deepEqual(p.settings, { max: 50, idleTimeoutMillis: 0, connectionTimeoutMillis: 0 });
    assert.equal(p.maxConnections, 50);
    assert.equal(p.createdInFunction, undefined);
  });
  it('SQLAlchemy create_engine in reports.py', () => {
    const [p, ...rest] = example('reports.py');
    assert.equal(rest.length, 0);
    assert.equal(p.library, 'sqlalchemy');
    assert.equal(p.line, 8);
    assert.deepEqual(p.settings, { pool_size: 40, max_overflow: 20, pool_pre_ping: true });
    assert.equal(p.maxConnections, 60);
  });
  it('Go database/sql Set* calls in main.go', () => {
    const [p, ...rest] = example('main.go');
    assert.equal(rest.length, 0);
    assert.equal(p.library, 'database/sql');
    assert.equal(p.line, 21, 'the sql.Open line');
    assert.deepEqual(p.settings, { maxOpenConns: 200, maxIdleConns: 0, connMaxLifetime: 0 });
    assert.equal(p.maxConnections, 200);
  });
});

describe('pool config finder: variants', () => {
  it('defaults, non-literal values and a pool per request (JS)', () => {
    const src = `import pg from 'pg';
const a = new pg.Pool();
app.get('/x', async (req, res) => {
  const p = new Pool({ max: Number(process.env.MAX), connectionTimeoutMillis: 5 * 1000 });
  await p.query('SELECT 1');
});`;
    const [a, b] = findPoolConfigs(src, 'app.js');
    assert.equal(a.maxConnections, 10, 'node-postgres default max');
    assert.equal(a.line, 2);
    assert.equal(b.maxConnections, undefined);
    assert.equal(b.settings.max, 'Number(process.env.MAX)');
    assert.equal(b.settings.connectionTimeoutMillis, 5000);
    assert.equal(b.createdInFunction, '<anonymous>');
    const ids = appFindings([a, b]).map((f) => `${f.id}@${f.location?.line}`);
    assert.ok(ids.includes('pool-per-request@4'), ids.join());
    assert.ok(ids.includes('pool-no-acquire-timeout@2'));
    assert.ok(!ids.includes('pool-no-acquire-timeout@4'));
  });
  it('SQLAlchemy defaults and an unlimited overflow', () => {
    const [a, b] = findPoolConfigs(`import sqlalchemy\ne = sqlalchemy.create_engine(url)\nf = create_engine(url, pool_size=5, max_overflow=-1, pool_recycle=1800, pool_pre_ping=True)\n`, 'x.py');
    assert.equal(a.maxConnections, 15);
    assert.equal(b.maxConnections, null);
    const ids = appFindings([a, b]).map((f) => `${f.id}@${f.location?.line}`);
    assert.deepEqual(ids.sort(), ['sqlalchemy-no-pre-ping@2', 'sqlalchemy-no-recycle@2']);
  });
  it('Go durations and pgxpool MaxConns', () => {
    const src = `package main
func open() {
	db, _ := sql.Open("pgx", dsn)
	db.SetMaxOpenConns(20)
	db.SetConnMaxLifetime(30 * time.Minute)
	cfg, _ := pgxpool.ParseConfig(dsn)
	cfg.MaxConns = 8
	cfg.MaxConnLifetime = time.Hour
	pool, _ := pgxpool.NewWithConfig(ctx, cfg)
}`;
    const [d, x] = findPoolConfigs(src, 'db.go');
    assert.equal(d.library, 'database/sql');
    assert.equal(d.settings.connMaxLifetime, 30 * 60_000);
    assert.equal(d.maxConnections, 20);
    assert.equal(x.library, 'pgxpool');
    assert.equal(x.maxConnections, 8);
    assert.equal(x.settings.maxConnLifetime, 3_600_000);
    assert.deepEqual(appFindings([d, x]), [], 'open() is a setup function; both pools are bounded and renewed');
  });
  it('a Go pool without SetMaxOpenConns is unbounded', () => {
    const [d] = findPoolConfigs(`package main\nvar db *sql.DB\nfunc init() { db, _ = sql.Open("postgres", dsn) }\n`, 'x.go');
    assert.equal(d.maxConnections, null);
    assert.ok(appFindings([d]).some((f) => f.id === 'go-unbounded-pool'));
  });
  it('files without pools and broken code give nothing and do not throw', () => {
    assert.deepEqual(findPoolConfigs('const x = 1;', 'a.ts'), []);
    assert.deepEqual(findPoolConfigs('new Pool({ max: ', 'a.ts').length <= 1, true);
    assert.deepEqual(findPoolConfigs('Pool', 'a.txt'), []);
  });
});
