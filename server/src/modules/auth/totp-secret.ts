import type { SecretBox } from '../../lib/crypto.ts';

/**
 * What `users.totpSecretEnc` holds: the base32 secret and the last accepted step, sealed together with
 * the platform SecretBox and bound (AES-GCM additional data) to the user id, so a sealed secret copied
 * onto another user's row does not open. Keeping the last step inside the sealed value lets a
 * conditional UPDATE (`WHERE totpSecretEnc = <what we read>`) accept each step at most once, even
 * with two replicas racing on the same code.
 */

export interface TotpState {
  secret: string;
  /** Last step accepted (replay guard); null before the first use. */
  lastStep: number | null;
}

const aad = (userId: string) => `payrail:totp:${userId}`;

export function sealTotp(secrets: SecretBox, userId: string, state: TotpState): string {
  return secrets.seal(JSON.stringify({ s: state.secret, t: state.lastStep }), aad(userId));
}

export function openTotp(secrets: SecretBox, userId: string, sealed: string): TotpState {
  const parsed = JSON.parse(secrets.open(sealed, aad(userId))) as { s: string; t: number | null };
  return { secret: parsed.s, lastStep: parsed.t ?? null };
}
