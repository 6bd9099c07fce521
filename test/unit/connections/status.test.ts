import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatServerVersion, statusBarView, SELECT_HINT } from '../../../src/connections/status';

describe('statusBarView', () => {
  it('shows the embedded database by default, idle until first use', () => {
    const v = statusBarView({ name: '', phase: 'idle' });
    assert.equal(v.text, '$(database) embedded');
    assert.match(v.tooltip, /Embedded database/);
    assert.match(v.tooltip, /Starts on first use/);
    assert.ok(v.tooltip.endsWith(SELECT_HINT));
    assert.equal(v.warning, false);
  });
  it('spins while connecting, names the target', () => {
    const v = statusBarView({ name: 'staging', phase: 'connecting', target: 'me@db:5432/shop' });
    assert.equal(v.text, '$(sync~spin) staging');
    assert.match(v.tooltip, /Connection "staging" \(me@db:5432\/shop\)/);
    assert.match(v.tooltip, /Connecting/);
  });
  it('says what is ready', () => {
    const v = statusBarView({ name: 'staging', phase: 'ok', detail: 'PostgreSQL 15.20' });
    assert.equal(v.text, '$(database) staging');
    assert.match(v.tooltip, /Ready: PostgreSQL 15\.20/);
    assert.equal(v.warning, false);
  });
  it('shows errors with the warning background and the message in the tooltip', () => {
    const v = statusBarView({ name: 'staging', phase: 'error', detail: 'Cannot connect to me@db:5432/shop: connection refused.' });
    assert.equal(v.text, '$(database) staging');
    assert.equal(v.warning, true);
    assert.match(v.tooltip, /connection refused/);
  });
});

describe('formatServerVersion', () => {
  it('reads server_version_num', () => {
    assert.equal(formatServerVersion(150020), '15.20');
    assert.equal(formatServerVersion(180000), '18.0');
    assert.equal(formatServerVersion(90624), '9.6.24');
    assert.equal(formatServerVersion(NaN), 'unknown version');
  });
});
