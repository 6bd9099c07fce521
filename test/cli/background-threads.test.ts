/**
 * How many background threads a `check` gives V8: one core stays the main thread's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backgroundThreadsFor } from '../../src/cli/background-threads';

describe('background threads for a check', () => {
  it('leaves the main thread a core on small machines, and Node its default on large ones', () => {
    assert.equal(backgroundThreadsFor(1), 1);
    assert.equal(backgroundThreadsFor(2), 1);
    assert.equal(backgroundThreadsFor(4), 3);
    assert.equal(backgroundThreadsFor(5), undefined);
    assert.equal(backgroundThreadsFor(64), undefined);
  });
});
