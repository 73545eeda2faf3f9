import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../lib/errors.ts';
import { assertTransition, canTransition, isFinalPayin, PAYIN_TRANSITIONS, type PayinStatus } from './payins.state.ts';

const ALL: PayinStatus[] = ['PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED'];

describe('payin state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = ALL.flatMap((from) => ALL.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`));
    expect(allowed.sort()).toEqual(
      [
        'PENDING>PROCESSING',
        'PENDING>SUCCEEDED',
        'PENDING>FAILED',
        'PENDING>EXPIRED',
        'PENDING>CLOSED',
        'PROCESSING>SUCCEEDED',
        'PROCESSING>FAILED',
        'PROCESSING>EXPIRED',
        'PROCESSING>CLOSED',
        'SUCCEEDED>REVERSED',
      ].sort(),
    );
  });

  it('has no way out of FAILED, EXPIRED, CLOSED, REVERSED', () => {
    expect(ALL.filter(isFinalPayin)).toEqual(['FAILED', 'EXPIRED', 'CLOSED', 'REVERSED']);
    expect(Object.keys(PAYIN_TRANSITIONS).sort()).toEqual([...ALL].sort());
  });

  it('throws INVALID_TRANSITION with from/to', () => {
    try {
      assertTransition('SUCCEEDED', 'CLOSED');
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'INVALID_TRANSITION')).toBe(true);
      expect((error as { details: unknown }).details).toEqual({ from: 'SUCCEEDED', to: 'CLOSED' });
    }
    expect(() => assertTransition('PROCESSING', 'PROCESSING')).toThrow(/PROCESSING to PROCESSING/);
    expect(() => assertTransition('PENDING', 'PROCESSING')).not.toThrow();
  });
});
