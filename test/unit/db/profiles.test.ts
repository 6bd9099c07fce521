import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectionUrl } from '../../../src/db/connection-url';
import { DbError } from '../../../src/db/errors';
import { describeTarget, resolveConnectionConfig, validateProfiles, type ConnectionProfile } from '../../../src/db/profiles';
import { memorySecrets, noSecrets } from '../../../src/db/secrets';

describe('validateProfiles', () => {
  it('accepts good entries and fills defaults', () => {
    const r = validateProfiles([{ name: 'local', host: 'localhost', database: 'app', user: 'me' }, { name: 'ci', urlFromEnv: 'DATABASE_URL', readOnly: true, ssl: 'require', port: '6432' }]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.profiles[0], { name: 'local', host: 'localhost', port: 5432, database: 'app', user: 'me' });
    assert.deepEqual(r.profiles[1], { name: 'ci', host: 'localhost', port: 6432, database: '', user: '', ssl: 'require', readOnly: true, urlFromEnv: 'DATABASE_URL' });
  });

  it('never throws on bad shapes and says what is wrong, per entry', () => {
    for (const raw of [null, undefined, 42, 'x', {}, [null], [[]], [{ name: 5 }]]) assert.doesNotThrow(() => validateProfiles(raw));
    assert.match(validateProfiles({}).problems[0].message, /must be a list/);
    const r = validateProfiles([
      { name: 'a', host: 'h', database: 'd', user: 'u', port: 70000 },
      { name: 'b', host: 'h', user: 'u' },
      { name: 'c', host: 'h', database: 'd', user: 'u', ssl: 'maybe', readOnly: 'yes' },
      'nope',
      { name: 'd', host: 'h', database: 'd', user: 'u', password: 'x' },
      { name: 'd', host: 'h', database: 'd', user: 'u' },
      { name: 'e', urlFromEnv: 'not a var!' },
    ]);
    const messages = r.problems.map((p) => p.message).join('\n');
    assert.match(messages, /\[0\] \("a"\): "port" must be a whole number between 1 and 65535 \(got 70000\)/);
    assert.match(messages, /\[1\] \("b"\): "database" is required/);
    assert.match(messages, /\[2\] \("c"\): "ssl" must be one of/);
    assert.match(messages, /\[2\] \("c"\): "readOnly" must be true or false/);
    assert.match(messages, /\[3\]: expected an object/);
    assert.match(messages, /\[4\] \("d"\): "password" is ignored: passwords are never read from settings/);
    assert.match(messages, /\[5\] \("d"\): another connection already has this name/);
    assert.match(messages, /\[6\] \("e"\): "urlFromEnv" must be the name of an environment variable/);
    assert.deepEqual(r.profiles.map((p) => p.name), ['d']);
    assert.equal(r.problems.find((p) => p.index === 4)?.severity, 'warning');
  });
});

describe('describeTarget', () => {
  it('is user@host:port/db, with IPv6 hosts bracketed', () => {
    assert.equal(describeTarget({ host: 'db', port: 5432, database: 'app', user: 'me' }), 'me@db:5432/app');
    assert.equal(describeTarget({ host: '::1', port: 5432, database: 'app', user: 'me' }), 'me@[::1]:5432/app');
    assert.equal(describeTarget({ host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'DATABASE_URL' }), '$DATABASE_URL');
  });
});

describe('resolveConnectionConfig', () => {
  const profile: ConnectionProfile = { name: 'p', host: 'db', port: 5433, database: 'app', user: 'me', ssl: 'verify-full' };

  it('takes the password from the secret source and sets application_name and a connect timeout', async () => {
    const r = await resolveConnectionConfig(profile, memorySecrets({ p: 'pw-123456' }), {});
    assert.equal(r.config.password, 'pw-123456');
    assert.equal(r.config.application_name, 'sqlperf');
    assert.equal(r.config.connectionTimeoutMillis, 5000);
    assert.equal((r.config as Record<string, unknown>).statement_timeout, undefined);
    assert.deepEqual(r.config.ssl, { rejectUnauthorized: true, servername: 'db' });
    assert.equal(r.description, 'me@db:5433/app');
    assert.deepEqual(r.secrets, ['pw-123456']);
  });

  it('leaves the password unset without a secret (pgpass / trust apply)', async () => {
    const r = await resolveConnectionConfig({ ...profile, ssl: 'disable' }, noSecrets, {});
    assert.equal('password' in r.config, false);
    assert.equal(r.config.ssl, false);
    assert.equal(r.sslMode, 'disable');
  });

  it('takes everything from the URL in the named environment variable, but keeps application_name', async () => {
    const env = { DB: 'postgresql://alice:s%3Acret@pg.example:6000/shop?sslmode=require&application_name=other' };
    const r = await resolveConnectionConfig({ name: 'e', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'DB' }, noSecrets, env);
    assert.equal(r.config.host, 'pg.example');
    assert.equal(r.config.port, 6000);
    assert.equal(r.config.database, 'shop');
    assert.equal(r.config.user, 'alice');
    assert.equal(r.config.password, 's:cret');
    assert.equal(r.config.application_name, 'sqlperf');
    assert.equal(r.sslMode, 'require');
    assert.ok(r.secrets.includes(env.DB));
  });

  it('explains a missing or malformed environment variable', async () => {
    const p: ConnectionProfile = { name: 'e', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'DB' };
    await assert.rejects(resolveConnectionConfig(p, noSecrets, {}), (e: unknown) => e instanceof DbError && /DB, which is not set/.test(e.message));
    await assert.rejects(resolveConnectionConfig(p, noSecrets, { DB: 'mysql://x' }), (e: unknown) => e instanceof DbError && /cannot be used/.test(e.message));
  });
});

describe('parseConnectionUrl', () => {
  it('parses the usual forms', () => {
    const r = parseConnectionUrl('postgres://u:p@[::1]:5555/d%20b?sslmode=disable&options=-c%20x%3D1');
    assert.ok(r.ok);
    assert.deepEqual(r.value, { host: '::1', port: 5555, database: 'd b', user: 'u', password: 'p', sslmode: 'disable', params: { options: '-c x=1' } });
    const socket = parseConnectionUrl('postgresql:///app?host=/var/run/postgresql');
    assert.ok(socket.ok);
    assert.equal(socket.value.host, '/var/run/postgresql');
    assert.equal(socket.value.database, 'app');
    assert.equal(parseConnectionUrl('http://x').ok, false);
  });
});
