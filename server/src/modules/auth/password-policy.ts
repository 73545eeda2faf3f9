import { AuthError } from './auth.errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordRule = 'MIN_LENGTH' | 'MAX_LENGTH' | 'EQUALS_EMAIL' | 'UNCHANGED';

/**
 * The password policy (NIST SP 800-63B style: length over composition rules): at least 12 characters
 * (counted as Unicode code points), at most 256, not the account's email, not the current password.
 * Returns the broken rule, or null.
 */
export function passwordPolicyViolation(password: string, ctx: { email: string; currentPassword?: string }): PasswordRule | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return 'MIN_LENGTH';
  if (length > MAX_PASSWORD_LENGTH) return 'MAX_LENGTH';
  const normalized = password.trim().toLowerCase();
  const email = ctx.email.trim().toLowerCase();
  if (normalized === email || normalized === email.split('@')[0]) return 'EQUALS_EMAIL';
  if (ctx.currentPassword !== undefined && password === ctx.currentPassword) return 'UNCHANGED';
  return null;
}

const MESSAGES: Record<PasswordRule, string> = {
  MIN_LENGTH: `the password must have at least ${MIN_PASSWORD_LENGTH} characters`,
  MAX_LENGTH: `the password must have at most ${MAX_PASSWORD_LENGTH} characters`,
  EQUALS_EMAIL: 'the password must not be your email address',
  UNCHANGED: 'the new password must differ from the current one',
};

export function assertPasswordPolicy(password: string, ctx: { email: string; currentPassword?: string }): void {
  const rule = passwordPolicyViolation(password, ctx);
  if (rule) throw new AuthError('PASSWORD_POLICY', MESSAGES[rule], { details: { rule, minLength: MIN_PASSWORD_LENGTH } });
}
