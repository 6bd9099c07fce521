import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findSuggestion, parseRevealArgs } from '../../../src/advisor-commands/reveal';
import { report, suggestion } from './fixtures';

const ctx = { dismissedKeys: new Set<string>(), threshold: 0.3, source: 'embedded database' };

describe('revealSuggestion: matching the diagnostic to a suggestion', () => {
  const byCustomer = suggestion('orders', ['customer_id', 'placed_at'], { saving: 50 });
  const byStatus = suggestion('orders', ['status'], { saving: 900 });
  const other = suggestion('items', ['sku'], { schema: 'sales' });
  const r = report([byCustomer, byStatus, other]);

  it('finds the suggestion whose leading columns are the filter columns', () => {
    const f = findSuggestion(r, { table: 'orders', columns: ['customer_id', 'placed_at'] }, ctx);
    assert.equal(f.kind, 'found');
    assert.equal(f.kind === 'found' && f.suggestion, byCustomer);
    assert.equal(f.kind === 'found' && f.exact, true);
  });

  it('takes a suggestion leading with the first column as the closest one', () => {
    const f = findSuggestion(r, { table: 'orders', columns: ['customer_id'] }, ctx);
    assert.equal(f.kind === 'found' && f.suggestion, byCustomer);
    const g = findSuggestion(r, { table: 'orders', columns: ['customer_id', 'total'] }, ctx);
    assert.equal(g.kind === 'found' && g.exact, false);
  });

  it('matches schema-qualified and differently cased names', () => {
    assert.equal(findSuggestion(r, { table: 'sales.items', columns: ['sku'] }, ctx).kind, 'found');
    assert.equal(findSuggestion(r, { table: 'items', columns: ['sku'] }, ctx).kind, 'found');
    assert.equal(findSuggestion(r, { table: 'ORDERS', columns: ['status'] }, ctx).kind, 'found');
    assert.equal(findSuggestion(r, { table: 'public.items', columns: ['sku'] }, ctx).kind, 'none');
  });

  it('says when the user dismissed it', () => {
    const f = findSuggestion(r, { table: 'orders', columns: ['status'] }, { ...ctx, dismissedKeys: new Set([byStatus.candidate.key]) });
    assert.equal(f.kind, 'dismissed');
  });

  it('explains why there is none: no gain, the advisor note, other columns, or a statement not in the workload', () => {
    const none = findSuggestion(r, { table: 'orders', columns: ['total'], file: '/ws/app/orders.ts', line: 12 }, { ...ctx, relative: (f) => f.replace('/ws/', '') });
    assert.equal(none.kind, 'none');
    const reason = none.kind === 'none' ? none.reason : '';
    assert.match(reason, /No verified index suggestion for orders \(total\) on embedded database/);
    assert.match(reason, /the query at app\/orders\.ts:12 by 30% or more/);
    assert.match(reason, /other suggestions: \(customer_id, placed_at\), \(status\)/);

    const noted = findSuggestion(report([], ['skipped "public"."users" ("email"): the existing index users_email_key covers it']), { table: 'users', columns: ['email'] }, ctx);
    assert.match(noted.kind === 'none' ? noted.reason : '', /existing index users_email_key covers it/);

    const unsaved = findSuggestion(r, { table: 'orders', columns: ['total'], file: '/ws/new.sql', line: 1 }, ctx);
    assert.match(unsaved.kind === 'none' ? unsaved.reason : '', /not in the advisor's workload/);
  });

  it('rejects malformed arguments with a clear message', () => {
    assert.match(String(parseRevealArgs(undefined)), /expected \{ table, columns \}/);
    assert.match(String(parseRevealArgs({ table: 'orders' })), /column list/);
    assert.match(String(parseRevealArgs({ table: '', columns: ['a'] })), /table name/);
    assert.deepEqual(parseRevealArgs([{ table: 'orders', columns: ['a'], uri: 'file:///x.sql', line: 3 }]), { table: 'orders', columns: ['a'], uri: 'file:///x.sql', line: 3 });
  });
});
