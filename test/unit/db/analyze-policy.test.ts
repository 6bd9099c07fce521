import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkExplainPolicy, useReadOnlyTransaction, writeConfirmationText } from '../../../src/db/analyze-policy';
import type { CheckedStatement } from '../../../src/db/statement-check';

const stmt = (writes: boolean, params = 0): Pick<CheckedStatement, 'kind' | 'writes' | 'writeReason' | 'conversion'> => ({
  kind: writes ? 'update' : 'select',
  writes,
  writeReason: writes ? 'UPDATE' : undefined,
  conversion: { text: '', params: Array.from({ length: params }, (_, i) => ({ index: i + 1, label: `$${i + 1}`, style: 'dollar' as const })), toOriginal: (o) => o },
});
const p = { analyze: true, allowWrite: false, readOnlyProfile: false, missingValues: false };

describe('checkExplainPolicy', () => {
  it('plain EXPLAIN is always allowed, even of writes on a read-only profile', () => {
    assert.equal(checkExplainPolicy(stmt(true), { ...p, analyze: false, readOnlyProfile: true }), undefined);
  });
  it('ANALYZE of a write needs allowWrite and is never allowed on a read-only profile', () => {
    assert.equal(checkExplainPolicy(stmt(true), p)?.kind, 'permission');
    assert.equal(checkExplainPolicy(stmt(true), { ...p, allowWrite: true }), undefined);
    assert.match(checkExplainPolicy(stmt(true), { ...p, allowWrite: true, readOnlyProfile: true })!.message, /read-only/);
    assert.equal(checkExplainPolicy(stmt(false), p), undefined);
  });
  it('ANALYZE needs values for parameters', () => {
    assert.match(checkExplainPolicy(stmt(false, 2), { ...p, missingValues: true })!.message, /\$1, \$2/);
  });
});

describe('useReadOnlyTransaction', () => {
  it('is READ ONLY unless an analyzed statement may write', () => {
    assert.equal(useReadOnlyTransaction(stmt(true), { ...p, analyze: false }), true);
    assert.equal(useReadOnlyTransaction(stmt(false), p), true);
    assert.equal(useReadOnlyTransaction(stmt(true), { ...p, allowWrite: true }), false);
    // a query whose function writes, re-run after the user confirmed
    assert.equal(useReadOnlyTransaction(stmt(false), { ...p, allowWrite: true }), false);
    assert.equal(useReadOnlyTransaction(stmt(false), { ...p, allowWrite: true, readOnlyProfile: true }), true);
  });
});

describe('writeConfirmationText', () => {
  it('says what the rollback does not undo', () => {
    const t = writeConfirmationText({ kind: 'insert', writeReason: 'INSERT' });
    assert.match(t, /INSERT/);
    assert.match(t, /rolled back/);
    assert.match(t, /sequences/);
  });
});
