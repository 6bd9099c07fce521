import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadExtractors, mapToHost } from '../../../server/engine/extract';
import { assertMaps, callText, extract, hostTextOf, regionWith } from './helpers';

before(loadExtractors);

const go = (text: string, calls?: string[]) => extract(text, 'go', calls);

const REPO = `package store

import (
	"context"
	"database/sql"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jmoiron/sqlx"
)

const listUsersSQL = \`
SELECT id, name, email
FROM users
WHERE deleted_at IS NULL
ORDER BY id\`

type Store struct {
	db   *sql.DB
	pool *pgxpool.Pool
	x    *sqlx.DB
}

func (s *Store) UserName(ctx context.Context, id int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&name)
	return name, err
}

func (s *Store) Rename(ctx context.Context, id int64, name string) error {
	_, err := s.pool.Exec(ctx, \`UPDATE users SET name = $2 WHERE id = $1\`, id, name)
	return err
}

func (s *Store) List(ctx context.Context) ([]User, error) {
	var users []User
	err := s.x.SelectContext(ctx, &users, listUsersSQL)
	if err != nil {
		return nil, err
	}
	err = s.x.Select(&users, listUsersSQL)
	return users, err
}

func (s *Store) Get(id int64) (User, error) {
	var u User
	q := "SELECT * FROM users " +
		"WHERE id = $1"
	err := s.x.Get(&u, q, id)
	return u, err
}
`;

describe('Go: calls and strings', () => {
  it('database/sql, pgx and sqlx calls: the SQL argument after ctx / &dest', () => {
    const rs = go(REPO);
    const row = regionWith(rs, 'SELECT name FROM users');
    assert.equal(row.origin, 'call-argument');
    assert.equal(row.callName, 's.db.QueryRowContext');
    assert.equal(callText(REPO, row), 's.db.QueryRowContext');
    assert.equal(row.knownCall, true);
    assertMaps(REPO, row, 'FROM users', '$1');

    const upd = regionWith(rs, 'UPDATE users');
    assert.equal(upd.callName, 's.pool.Exec');
    assert.equal(upd.segments, undefined);
    assertMaps(REPO, upd, 'SET name = $2', 'WHERE id = $1');

    const get = regionWith(rs, 'SELECT * FROM users');
    assert.equal(get.origin, 'variable');
    assert.equal(get.callName, 's.x.Get');
    assert.equal(get.sql, 'SELECT * FROM users WHERE id = $1');
    assertMaps(REPO, get, 'SELECT *', 'WHERE id = $1');
  });

  it('a package-level const passed to a call is a variable region, reported once', () => {
    const rs = go(REPO, ['Select']);
    const list = regionWith(rs, 'ORDER BY id');
    assert.equal(list.origin, 'variable');
    assert.equal(list.callName, 's.x.Select');
    assert.equal(list.knownCall, true);
    assertMaps(REPO, list, 'FROM users', 'ORDER BY id');
    // with the default list, SelectContext is unknown but Select is known
    assert.equal(regionWith(go(REPO), 'ORDER BY id').callName, 's.x.Select');
  });

  it('interpreted strings with escapes map through them', () => {
    const text = 'package m\nfunc f() {\n\tdb.Query("SELECT \\"Name\\" FROM \\"Users\\"\\nWHERE id = $1", 1)\n}\n';
    const [r] = go(text);
    assert.equal(r.sql, 'SELECT "Name" FROM "Users"\nWHERE id = $1');
    assert.ok(r.segments);
    assertMaps(text, r, 'SELECT', 'Name', 'FROM', 'WHERE id = $1');
    assert.equal(hostTextOf(text, r, '"Users"'), '\\"Users\\"');
    assert.equal(mapToHost(r, r.sql.length), text.lastIndexOf('"'));
  });

  it('sqlx named parameters when NamedExec is configured', () => {
    const text = 'package m\nfunc f() {\n\tdb.NamedExec(`INSERT INTO users (name, email) VALUES (:name, :email)`, u)\n}\n';
    const [r] = go(text, ['NamedExec']);
    assert.equal(r.sql, 'INSERT INTO users (name, email) VALUES ($1   , $2    )');
  });

  it('not SQL: router and cache Get, env lookups', () => {
    const text = [
      'package m',
      'func routes(r chi.Router) {',
      '\tr.Get("/users/{id}", getUser)',
      '\tv := cache.Get("users:1")',
      '\turl := os.Getenv("DATABASE_URL")',
      '\tmsg := "Select a user"',
      '}',
    ].join('\n');
    assert.deepEqual(go(text), []);
  });
});

describe('Go: loops', () => {
  const loopOf = (body: string) => {
    const text = `package m\nfunc f(ids []int) {\n\t${body}\n}\n`;
    const rs = go(text);
    assert.equal(rs.length, 1, JSON.stringify(rs));
    return rs[0].loop;
  };

  it('for range, three-clause for, condition-only for, goroutine literal in a loop', () => {
    assert.equal(loopOf('for _, id := range ids {\n\t\tdb.QueryRow("SELECT name FROM users WHERE id = $1", id)\n\t}')?.kind, 'for-range');
    assert.equal(loopOf('for i := 0; i < len(ids); i++ { db.Exec("DELETE FROM t WHERE id = $1", ids[i]) }')?.kind, 'for');
    assert.equal(loopOf('for rows.Next() { db.Exec("UPDATE t SET n = n + 1") }')?.kind, 'for');
    const l = loopOf('for _, id := range ids {\n\t\tgo func() { db.Exec("DELETE FROM t WHERE id = $1", id) }()\n\t}');
    assert.equal(l?.kind, 'for-range');
    assert.equal(l?.line, 2);
  });

  it('not a loop: the range expression, the initializer, a func literal passed elsewhere', () => {
    assert.equal(loopOf('for _, r := range mustRows(db.Query("SELECT * FROM t")) { _ = r }'), undefined);
    assert.equal(loopOf('for rows, _ := db.Query("SELECT * FROM t"); rows.Next(); { }'), undefined);
    assert.equal(loopOf('for _, id := range ids {\n\t\tg.Go(func() error { _, err := db.Exec("DELETE FROM t WHERE id = $1", id); return err })\n\t}'), undefined);
  });
});
