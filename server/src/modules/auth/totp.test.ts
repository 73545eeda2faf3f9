import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, totpCode, totpCodeAt, totpStep, verifyTotp } from './totp.ts';
import { passwordPolicyViolation } from './password-policy.ts';

// RFC 6238 appendix B, SHA1 seed "12345678901234567890" (the last 6 of the 8-digit values).
const SECRET = base32Encode(Buffer.from('12345678901234567890'));
const VECTORS: Array<[number, string]> = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
];

describe('TOTP (RFC 6238)', () => {
  it('computes the RFC test vectors', () => {
    for (const [seconds, code] of VECTORS) expect(totpCode(SECRET, seconds * 1000), `t=${seconds}`).toBe(code);
  });

  it('round-trips base32', () => {
    expect(base32Encode(Buffer.from('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString()).toBe('12345678901234567890');
  });

  it('accepts one step either side, not two, and never a step at or before the last used one', () => {
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    for (const d of [-1, 0, 1]) expect(verifyTotp(SECRET, totpCodeAt(SECRET, step + d), { now }), `step ${d}`).toBe(step + d);
    for (const d of [-2, 2]) expect(verifyTotp(SECRET, totpCodeAt(SECRET, step + d), { now }), `step ${d}`).toBeNull();
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, step), { now, lastUsedStep: step })).toBeNull();
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, step - 1), { now, lastUsedStep: step - 1 })).toBeNull();
    expect(verifyTotp(SECRET, totpCodeAt(SECRET, step + 1), { now, lastUsedStep: step })).toBe(step + 1);
    expect(verifyTotp(SECRET, '12345', { now })).toBeNull();
    expect(verifyTotp(SECRET, 'abcdef', { now })).toBeNull();
    expect(verifyTotp(SECRET, ` ${totpCodeAt(SECRET, step).slice(0, 3)} ${totpCodeAt(SECRET, step).slice(3)} `, { now })).toBe(step);
  });
});

describe('password policy', () => {
  it('wants 12+ characters, not the email, not the current password', () => {
    const ctx = { email: 'li.wei@example.com', currentPassword: 'old password 123' };
    expect(passwordPolicyViolation('short', ctx)).toBe('MIN_LENGTH');
    expect(passwordPolicyViolation('密码密码密码密码密码密码', ctx)).toBeNull(); // 12 code points
    expect(passwordPolicyViolation('LI.WEI@EXAMPLE.COM', ctx)).toBe('EQUALS_EMAIL');
    expect(passwordPolicyViolation('old password 123', ctx)).toBe('UNCHANGED');
    expect(passwordPolicyViolation('x'.repeat(257), ctx)).toBe('MAX_LENGTH');
    expect(passwordPolicyViolation('correct horse battery staple', ctx)).toBeNull();
  });
});
