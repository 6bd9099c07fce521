/**
 * Test Connection's probe against the test server (SQLPERF_TEST_DATABASE_URL): a version on
 * success, a DbError without the password on failure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { probeProfile } from '../../../src/connections/probe';
import { DbError } from '../../../src/db/errors';
import { memorySecrets, noSecrets } from '../../../src/db/secrets';
import { requirePrerequisite } from '../../support/prerequisites';

const URL_ENV = 'SQLPERF_TEST_DATABASE_URL';
const skip = requirePrerequisite(!!process.env[URL_ENV], `${URL_ENV} (a PostgreSQL server) is not set`);

describe('probeProfile', { skip }, () => {
  it('connects and reports the server version', async () => {
    const r = await probeProfile({ name: 'test', host: '', port: 5432, database: '', user: '', urlFromEnv: URL_ENV }, noSecrets);
    assert.match(r.version, /^\d+(\.\d+)?/);
    assert.doesNotMatch(r.description, /:\/\//);
  });

  it('fails with a clear DbError that never contains the password', async () => {
    const u = new URL(process.env[URL_ENV]!.replace(/^postgres(ql)?:/, 'http:'));
    const password = 'pr0be-secret-pw';
    const profile = { name: 'wrong-port', host: u.hostname, port: 1, database: 'x', user: 'y', ssl: 'disable' as const };
    await assert.rejects(probeProfile(profile, memorySecrets({ 'wrong-port': password })), (e: unknown) => {
      assert.ok(e instanceof DbError);
      assert.equal(e.kind, 'unreachable');
      assert.match(e.message, /Cannot connect to y@.*:1\/x: connection refused/);
      assert.ok(!`${e.message} ${e.hint}`.includes(password));
      return true;
    });
  });
});
