import { DomainError } from './errors.ts';
import { decodeUtf8, describeProblem, findDirtyInput } from './text-hygiene.ts';

/**
 * A request body that must be one clean JSON object: not JSON or not an object → INVALID_JSON; dirty
 * text or too deep → INVALID_PARAMETER with `field`; `__proto__` / `constructor.prototype` keys →
 * INVALID_JSON. Returns the decoded text (what a signature covers) and the object. Shared by the
 * merchant REST API and the cashier's API.
 */
export function parseJsonObjectBody(bytes: Uint8Array): { text: string; parsed: Record<string, unknown> } {
  const { text, valid } = decodeUtf8(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidJson(valid ? 'body is not valid JSON' : 'body is not valid UTF-8 JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidJson('body must be a JSON object');
  const dirty = findDirtyInput(parsed) ?? (valid ? null : ({ field: 'body', problem: 'LONE_SURROGATE' } as const));
  if (dirty) throw new DomainError('INVALID_PARAMETER', `${dirty.field} ${describeProblem(dirty.problem)}`, { field: dirty.field });
  if (/"(?:__proto__|constructor)"/.test(text) && hasPoisonedKey(parsed)) {
    throw invalidJson('body must not contain "__proto__" or "constructor.prototype" keys');
  }
  return { text, parsed: parsed as Record<string, unknown> };
}

function invalidJson(message: string): DomainError {
  return new DomainError('INVALID_JSON', message);
}

/** Same rule as Fastify's default parser: refuse `__proto__` keys and `constructor.prototype`. */
function hasPoisonedKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasPoisonedKey);
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (key === '__proto__') return true;
    if (key === 'constructor' && typeof child === 'object' && child !== null && Object.prototype.hasOwnProperty.call(child, 'prototype')) return true;
    if (hasPoisonedKey(child)) return true;
  }
  return false;
}
