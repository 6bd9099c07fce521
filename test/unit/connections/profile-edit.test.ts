import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SSL_MODES } from '../../../src/db/profiles';
import {
  checkName,
  checkPort,
  checkRequired,
  chooseWriteLevel,
  connectionPicks,
  EMBEDDED_PICK_LABEL,
  levelsHolding,
  namesIn,
  profileFromAnswers,
  profileToSetting,
  removeProfile,
  SSL_CHOICES,
  upsertProfile,
} from '../../../src/connections/profile-edit';

const local = { name: 'local', host: 'localhost', port: 5432, database: 'shop', user: 'me' };

describe('upsertProfile / removeProfile', () => {
  it('appends a new profile and replaces one of the same name in place', () => {
    const list = [{ name: 'a', host: 'h', database: 'd', user: 'u' }, 'garbage', { name: 'local', host: 'old' }];
    const added = upsertProfile(list, { ...local, name: 'new' });
    assert.equal(added.length, 4);
    assert.deepEqual(added[3], { ...local, name: 'new' });
    const replaced = upsertProfile(list, { ...local, readOnly: true, ssl: 'require' });
    assert.equal(replaced.length, 3);
    assert.deepEqual(replaced[2], { ...local, ssl: 'require', readOnly: true });
    assert.equal(replaced[1], 'garbage', 'entries it does not understand are kept');
    assert.deepEqual(list[2], { name: 'local', host: 'old' }, 'the input is not mutated');
    assert.deepEqual(upsertProfile(undefined, local), [local]);
  });
  it('never writes a password', () => {
    assert.deepEqual(Object.keys(profileToSetting({ ...local, urlFromEnv: 'DB_URL' })).sort(), ['database', 'host', 'name', 'port', 'urlFromEnv', 'user']);
  });
  it('removes every entry of that name, keeps the rest', () => {
    const list = [local, { name: 'x' }, { name: ' local ' }];
    assert.deepEqual(removeProfile(list, 'local'), { list: [{ name: 'x' }], removed: true });
    assert.deepEqual(removeProfile(list, 'nope'), { list, removed: false });
    assert.deepEqual(removeProfile(undefined, 'x'), { list: [], removed: false });
  });
  it('namesIn lists names of valid and invalid entries', () => {
    assert.deepEqual(namesIn([local, { name: 'bad', port: 'x' }, 3, null, { host: 'h' }]), ['local', 'bad']);
    assert.deepEqual(namesIn('nope'), []);
  });
});

describe('chooseWriteLevel / levelsHolding', () => {
  it('adds to the workspace list when there is one', () => {
    assert.equal(chooseWriteLevel({ workspaceValue: [], globalValue: [local] }, true), 'workspace');
  });
  it('adds to the user list when only it exists, so a workspace list does not hide it', () => {
    assert.equal(chooseWriteLevel({ globalValue: [local] }, true), 'global');
  });
  it('otherwise the workspace when one is open, else the user settings', () => {
    assert.equal(chooseWriteLevel({}, true), 'workspace');
    assert.equal(chooseWriteLevel({ globalValue: [] }, true), 'workspace');
    assert.equal(chooseWriteLevel({}, false), 'global');
    assert.equal(chooseWriteLevel({ workspaceValue: [local] }, false), 'global');
  });
  it('levelsHolding finds the name at each level', () => {
    assert.deepEqual(levelsHolding({ workspaceValue: [local], globalValue: [local] }, 'local'), ['workspace', 'global']);
    assert.deepEqual(levelsHolding({ globalValue: [local] }, 'local'), ['global']);
    assert.deepEqual(levelsHolding({}, 'local'), []);
  });
});

describe('Add Connection input checks', () => {
  it('name, port and required fields', () => {
    assert.match(checkName('  ')!, /short name/);
    assert.equal(checkName('staging'), undefined);
    assert.match(checkName('x'.repeat(65))!, /64/);
    for (const bad of ['', 'abc', '0', '65536', '54.3', '-1']) assert.ok(checkPort(bad), bad);
    assert.equal(checkPort(' 5433 '), undefined);
    assert.match(checkRequired('database name')(' ')!, /database name is required/);
    assert.equal(checkRequired('user')('me'), undefined);
  });
  it('profileFromAnswers trims, fills defaults and validates', () => {
    const r = profileFromAnswers({ name: ' local ', host: ' ', port: ' 5433', database: 'shop ', user: ' me', ssl: 'disable', readOnly: true });
    assert.deepEqual(r.profile, { name: 'local', host: 'localhost', port: 5433, database: 'shop', user: 'me', ssl: 'disable', readOnly: true });
    const bad = profileFromAnswers({ name: 'x', host: 'h', port: '99999', database: '', user: 'u', ssl: 'prefer', readOnly: false });
    assert.equal(bad.profile, undefined);
    assert.match(bad.error!, /port/);
    assert.match(bad.error!, /database/);
  });
  it('offers every sslmode once, prefer first', () => {
    assert.deepEqual(SSL_CHOICES.map((c) => c.mode).sort(), [...SSL_MODES].sort());
    assert.equal(SSL_CHOICES[0].mode, 'prefer');
  });
});

describe('connectionPicks', () => {
  it('lists the embedded database first, then the profiles, marking the active one', () => {
    const picks = connectionPicks([local, { ...local, name: 'prod', host: 'db.example.com', readOnly: true, ssl: 'verify-full' }], 'prod');
    assert.deepEqual(
      picks.map((p) => [p.name, p.label, p.description ?? '', p.active]),
      [
        ['', EMBEDDED_PICK_LABEL, '', false],
        ['local', 'local', '', false],
        ['prod', 'prod', 'active, read-only', true],
      ],
    );
    assert.equal(picks[2].detail, 'me@db.example.com:5432/shop · ssl verify-full');
    assert.equal(connectionPicks([], '')[0].description, 'active');
  });
});
