import { performance } from 'node:perf_hooks';
import { randomNonce, signRequest } from '../../server/src/lib/crypto.ts';

/**
 * What the merchant's side of a signed REST call costs on this machine: the RSA signature the client
 * makes per request. The REST scenarios' client runs in the same process as Payrail, so this time is
 * inside Payrail's numbers; the note lets a reader take it out.
 */
export function clientSigningNote(privateKeyPem: string, body: string, samples = 50): string {
  const started = performance.now();
  for (let i = 0; i < samples; i++) {
    signRequest(privateKeyPem, { method: 'POST', pathWithQuery: '/v1/x', timestamp: Math.floor(Date.now() / 1000), nonce: randomNonce(24), body });
  }
  const perRequestMs = (performance.now() - started) / samples;
  return `the client signs every request before the clock starts (its RSA signature costs ${perRequestMs.toFixed(2)} ms of CPU per request here, the merchant server's work); sending them and reading the answers shares this process (and its CPU) with Payrail, so that is inside Payrail's time`;
}
