import QRCode from 'qrcode';
import type { Db } from '../../db/prisma.ts';
import type { SecretBox } from '../../lib/crypto.ts';
import { AuthError } from './auth.errors.ts';
import { generateTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';
import { openTotp, sealTotp } from './totp-secret.ts';

/**
 * TOTP second factor: checking a code once (replay-proof across replicas) and enrolment.
 * Enrolment stores the new secret sealed in `totpSecretEnc` with `totpEnabled = false`; the first
 * correct code (confirm) turns it on. An enabled secret is never replaced by a new enrolment.
 */

/**
 * True when `code` is valid for the user's sealed secret and its step was never accepted before.
 * Accepting writes the step into the sealed value with a compare-and-set on the old value, so two
 * requests racing with one code (on any replicas) cannot both win.
 */
export async function consumeTotpCode(db: Db, secrets: SecretBox, user: { id: string; totpSecretEnc: string | null }, code: string, now: Date = new Date()): Promise<boolean> {
  if (!user.totpSecretEnc) return false;
  const state = openTotp(secrets, user.id, user.totpSecretEnc);
  const step = verifyTotp(state.secret, code, { now, lastUsedStep: state.lastStep });
  if (step === null) return false;
  const { count } = await db.user.updateMany({
    where: { id: user.id, totpSecretEnc: user.totpSecretEnc },
    data: { totpSecretEnc: sealTotp(secrets, user.id, { secret: state.secret, lastStep: step }) },
  });
  return count === 1;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  /** `data:image/svg+xml;base64,…` of the QR code of `otpauthUrl`. */
  qrCodeSvgDataUrl: string;
}

/** Starts (or restarts) enrolment: a fresh secret, sealed, not yet enabled. */
export async function startTotpEnrolment(
  db: Db,
  secrets: SecretBox,
  user: { id: string; email: string; totpEnabled: boolean },
  issuer: string,
): Promise<TotpEnrolment> {
  if (user.totpEnabled) throw new AuthError('TOTP_ALREADY_ENABLED', 'two-factor authentication is already enabled');
  const secret = generateTotpSecret();
  const { count } = await db.user.updateMany({
    where: { id: user.id, totpEnabled: false },
    data: { totpSecretEnc: sealTotp(secrets, user.id, { secret, lastStep: null }) },
  });
  if (count !== 1) throw new AuthError('TOTP_ALREADY_ENABLED', 'two-factor authentication is already enabled');
  const url = otpauthUrl({ secret, issuer, account: user.email });
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  return { secret, otpauthUrl: url, qrCodeSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}` };
}

/** Confirms enrolment with the first code from the app; turns TOTP on. */
export async function confirmTotpEnrolment(
  db: Db,
  secrets: SecretBox,
  user: { id: string; totpEnabled: boolean; totpSecretEnc: string | null },
  code: string,
): Promise<void> {
  if (user.totpEnabled) throw new AuthError('TOTP_ALREADY_ENABLED', 'two-factor authentication is already enabled');
  if (!user.totpSecretEnc) throw new AuthError('TOTP_ENROLMENT_NOT_STARTED', 'start the enrolment first');
  if (!(await consumeTotpCode(db, secrets, user, code))) throw new AuthError('MFA_INVALID', 'the code is not valid');
  await db.user.update({ where: { id: user.id }, data: { totpEnabled: true } });
}
