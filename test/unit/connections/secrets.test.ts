import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { profileOfSecretKey, secretKey, SecretStorageSource, type SecretStore } from '../../../src/connections/secrets';

function mapStore(): SecretStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k),
    store: async (k, v) => void map.set(k, v),
    delete: async (k) => void map.delete(k),
  };
}

describe('SecretStorageSource', () => {
  it('keys passwords by profile name', () => {
    assert.equal(secretKey('staging db'), 'sqlperf.password.staging db');
    assert.equal(profileOfSecretKey('sqlperf.password.staging db'), 'staging db');
    assert.equal(profileOfSecretKey('other.key'), undefined);
  });
  it('stores, reads and deletes; an empty password removes the entry', async () => {
    const store = mapStore();
    const s = new SecretStorageSource(store);
    assert.equal(await s.getPassword('a'), undefined);
    await s.setPassword('a', 'pw1');
    assert.equal(store.map.get('sqlperf.password.a'), 'pw1');
    assert.equal(await s.getPassword('a'), 'pw1');
    await s.setPassword('a', '');
    assert.equal(store.map.has('sqlperf.password.a'), false);
    await s.setPassword('b', 'pw2');
    await s.deletePassword('b');
    assert.equal(await s.getPassword('b'), undefined);
  });
});
