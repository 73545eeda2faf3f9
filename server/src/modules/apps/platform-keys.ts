import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { SecretBox } from '../../lib/crypto.ts';

/**
 * Platform private keys are sealed with the platform secret key and bound to their serial (AAD), so a
 * sealed key copied onto another row does not open.
 */
export function sealPlatformPrivateKey(secrets: SecretBox, serial: string, privateKeyPem: string): string {
  return secrets.seal(privateKeyPem, aad(serial));
}

export function openPlatformPrivateKey(secrets: SecretBox, serial: string, sealed: string): KeyObject {
  return createPrivateKey(secrets.open(sealed, aad(serial)));
}

function aad(serial: string): string {
  return `platform-key:${serial}`;
}
