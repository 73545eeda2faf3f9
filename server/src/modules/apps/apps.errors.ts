import { DomainError } from '../../lib/errors.ts';

/** Errors of the apps module. INVALID_PUBLIC_KEY comes from lib/crypto.ts (assertRsaPublicKey). */

export class AppNotFoundError extends DomainError {
  constructor(ref: Record<string, string>) {
    super('APP_NOT_FOUND', 'app not found', ref);
  }
}

export class MerchantNotFoundError extends DomainError {
  constructor(ref: Record<string, string>) {
    super('MERCHANT_NOT_FOUND', 'merchant not found', ref);
  }
}

/** The key is already registered on the app (active, or revoked: a revoked key never comes back). */
export class MerchantKeyExistsError extends DomainError {
  constructor(serial: string, status: string) {
    super(
      'MERCHANT_KEY_EXISTS',
      status === 'REVOKED' ? 'this public key was revoked on this app; register a new key' : 'this public key is already registered on this app',
      { serial, status },
    );
  }
}

export class MerchantKeyNotFoundError extends DomainError {
  constructor(serial: string) {
    super('MERCHANT_KEY_NOT_FOUND', 'no active merchant key with this serial on this app', { serial });
  }
}

/** Revoking the last active key would lock the merchant out; add the new key first (or pass `force`). */
export class LastActiveMerchantKeyError extends DomainError {
  constructor(serial: string) {
    super('LAST_ACTIVE_MERCHANT_KEY', 'this is the last active merchant key of the app; add a new key before revoking it', { serial });
  }
}
