import { computed, reactive } from 'vue';
import type { LocationQuery } from 'vue-router';
import { resetClient } from '@/graphql/client';
import { readStorage, writeStorage } from '@/utils/storage';

/**
 * Test data (like Stripe's test mode): the back office shows one book at a time. Off (the default),
 * every money page shows live orders, payouts, fund requests and balances only; on, test ones only,
 * under a banner. Remembered per browser. Switching drops the client's cache so nothing of the other
 * book is shown while the pages ask again.
 */
const TEST_MODE_STORAGE_KEY = 'payrail.testMode';

const state = reactive({ on: readStorage(TEST_MODE_STORAGE_KEY) === '1' });

/** True when the back office shows test data. Pass it as `test` to every money query and request. */
export const testMode = computed(() => state.on);

export function setTestMode(on: boolean): void {
  if (state.on === on) return;
  state.on = on;
  writeStorage(TEST_MODE_STORAGE_KEY, on ? '1' : '0');
  resetClient();
}

/** The query key a link sets the mode with (`?mode=test` / `?mode=live`); read and removed on arrival. */
export const MODE_QUERY_KEY = 'mode';

/**
 * The mode a link asks for (`mode=test|live`), or null. The payin and payout lists also honour their
 * former `test=test|live` filter so that older links open in the right book.
 */
export function modeOfLink(query: LocationQuery, legacyTestFilter: boolean): { test: boolean; keys: string[] } | null {
  const keys: string[] = [];
  let test: boolean | null = null;
  const mode = query[MODE_QUERY_KEY];
  if (mode === 'test' || mode === 'live') {
    test = mode === 'test';
    keys.push(MODE_QUERY_KEY);
  }
  const legacy = legacyTestFilter ? query.test : undefined;
  if (legacy !== undefined) {
    if (test === null && (legacy === 'test' || legacy === 'live')) test = legacy === 'test';
    keys.push('test');
  }
  return keys.length ? { test: test ?? state.on, keys } : null;
}

/** Query keys that point into one book's rows (keyset cursors, an open drawer): dropped when switching. */
export const BOOK_BOUND_QUERY_KEYS = ['after', 'before', 'open'] as const;
