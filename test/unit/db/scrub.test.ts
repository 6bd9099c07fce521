import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scrubSecrets } from '../../../src/db/scrub';

describe('scrubSecrets', () => {
  it('masks the password in connection URLs, keeping the user', () => {
    assert.equal(scrubSecrets('cannot reach postgresql://u:secret@h/db now'), 'cannot reach postgresql://u:***@h/db now');
    assert.equal(scrubSecrets('postgres://app:p%40ss@db.example.com:6432/prod?sslmode=require'), 'postgres://app:***@db.example.com:6432/prod?sslmode=require');
    assert.equal(scrubSecrets('postgresql://u@h/db'), 'postgresql://u@h/db');
  });

  it('masks libpq key=value and JSON forms', () => {
    assert.equal(scrubSecrets("host=h password=hunter2 dbname=d"), 'host=h password=*** dbname=d');
    assert.equal(scrubSecrets("host=h password='a b c' user=u"), 'host=h password=*** user=u');
    assert.equal(scrubSecrets('{"host":"h","password":"hunter2"}'), '{"host":"h","password":"***"}');
    assert.equal(scrubSecrets("{ password: 'hunter2', user: 'u' }"), '{ password: "***", user: \'u\' }');
  });

  it('masks every occurrence of a known secret, plain and URL-encoded', () => {
    const secret = 'Sup3r secret/pw';
    const text = `auth failed for Sup3r secret/pw (also ${encodeURIComponent(secret)})`;
    assert.equal(scrubSecrets(text, [secret]), 'auth failed for *** (also ***)');
  });

  it('does not mangle messages over very short secrets', () => {
    assert.equal(scrubSecrets('a database error', ['a']), 'a database error');
    assert.equal(scrubSecrets('postgresql://u:a@h/db', ['a']), 'postgresql://u:***@h/db');
  });
});
