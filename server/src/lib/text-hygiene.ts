/**
 * Input hygiene (../shared/REST-CONTRACT.md "Input hygiene"): text that PostgreSQL cannot store or that
 * is not Unicode — NUL, lone UTF-16 surrogates, bytes that are not UTF-8 — is refused at the edge, with
 * the field it was found in, before any of it reaches a query. Pure functions: the REST body parser,
 * the upstream callback route, the cashier and GraphQL all use them.
 */

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const DIRTY = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How deep a JSON body may nest; the API's bodies are flat objects, so anything deep is hostile. */
export const MAX_JSON_DEPTH = 32;

/** Longest field name an error repeats back. */
const MAX_FIELD_NAME = 100;

export type DirtyProblem = 'NUL' | 'LONE_SURROGATE' | 'TOO_DEEP';

export interface DirtyInput {
  /** Where: `payer_name`, `meta.note`, `items[2]` — the key itself when the key is dirty. */
  field: string;
  problem: DirtyProblem;
}

/** True when `text` can be stored as PostgreSQL text and is well-formed UTF-16 (no NUL, no lone surrogate). */
export function isCleanText(text: string): boolean {
  return !DIRTY.test(text);
}

export function dirtyProblem(text: string): DirtyProblem | null {
  const match = DIRTY.exec(text);
  if (!match) return null;
  return match[0] === '\u0000' ? 'NUL' : 'LONE_SURROGATE';
}

/** A field name safe to repeat in an answer and a log: dirty characters replaced, length capped. */
export function printableField(name: string): string {
  const clean = name.replace(new RegExp(DIRTY.source, 'g'), '\uFFFD');
  return clean.length > MAX_FIELD_NAME ? `${clean.slice(0, MAX_FIELD_NAME)}…` : clean;
}

/**
 * The first dirty string (value or key) in a parsed JSON value, or nesting deeper than `maxDepth`;
 * null when all is clean. Iterative, so a hostile depth cannot overflow the stack.
 */
export function findDirtyInput(value: unknown, maxDepth = MAX_JSON_DEPTH): DirtyInput | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const problem = dirtyProblem(item.value);
      if (problem) return { field: item.path || 'body', problem };
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return { field: topLevel(item.path) || 'body', problem: 'TOO_DEEP' };
    const children: Array<{ value: unknown; path: string; depth: number }> = [];
    if (Array.isArray(item.value)) {
      item.value.forEach((child, index) => children.push({ value: child, path: `${item.path || 'body'}[${index}]`, depth: item.depth + 1 }));
    } else {
      for (const key of Object.keys(item.value)) {
        const path = item.path ? `${item.path}.${printableField(key)}` : printableField(key);
        const problem = dirtyProblem(key);
        if (problem) return { field: path, problem };
        children.push({ value: (item.value as Record<string, unknown>)[key], path, depth: item.depth + 1 });
      }
    }
    // Depth-first in document order: the first dirty field of the body is the one named.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}

function topLevel(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

export function describeProblem(problem: DirtyProblem): string {
  switch (problem) {
    case 'NUL':
      return 'contains a NUL character';
    case 'LONE_SURROGATE':
      return 'is not valid UTF-8 (a lone surrogate or undecodable bytes)';
    case 'TOO_DEEP':
      return `nests deeper than ${MAX_JSON_DEPTH} levels`;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Stands in for the first undecodable byte sequence: a lone low surrogate, which findDirtyInput reports. */
export const INVALID_UTF8_MARK = '\uDC80';

/**
 * Decodes a body as UTF-8. Valid: the exact text. Not valid: the text with the first undecodable
 * sequence replaced by INVALID_UTF8_MARK (and any later ones by U+FFFD), so that parsing it as JSON
 * and looking for dirty strings names the field the bad bytes were in.
 */
export function decodeUtf8(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: STRICT_UTF8.decode(bytes), valid: true };
  } catch {
    // below
  }
  const lenient = LENIENT_UTF8.decode(bytes);
  // Walk the lenient text and the bytes together: a U+FFFD that is not the bytes EF BF BD is where
  // decoding failed.
  let offset = 0;
  for (let i = 0; i < lenient.length; i++) {
    const code = lenient.charCodeAt(i);
    if (code === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      return { text: lenient.slice(0, i) + INVALID_UTF8_MARK + lenient.slice(i + 1), valid: false };
    }
    if (code < 0x80) offset += 1;
    else if (code < 0x800) offset += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      offset += 4;
      i++;
    } else offset += 3;
  }
  return { text: lenient, valid: false };
}
