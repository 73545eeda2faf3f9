import { badInput } from './where.ts';

/**
 * Ids as clients give them: the Relay global ids the API hands out (`node.id`, base64 of
 * `<Typename>:<id>`, the encoding of @pothos/plugin-relay) or the raw ids themselves. Filters stored
 * for later (an export's filter) hold them as the client sent them, so the modules that read those
 * filters parse them here, the same way the GraphQL lists do.
 */

const BASE64 = /^(?:[\d+/A-Za-z]{4})*(?:[\d+/A-Za-z]{2}==|[\d+/A-Za-z]{3}=)?$/;
const TYPENAME = /^[A-Z_a-z]\w*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BIG_ID = /^\d{1,19}$/;

/** `{ typename, id }` of a global id, or undefined when the text is not one. */
export function decodeGlobalId(globalId: string): { typename: string; id: string } | undefined {
  if (!BASE64.test(globalId)) return undefined;
  const parts = Buffer.from(globalId, 'base64').toString().split(':');
  const [typename, id] = parts;
  if (!typename || !id || !TYPENAME.test(typename)) return undefined;
  return { typename, id: parts.length > 2 ? parts.slice(1).join(':') : id };
}

/**
 * UUIDs of `typename` given as global ids or raw UUIDs. A global id of another type, or anything that
 * is not a UUID, is a BAD_USER_INPUT error (reason INVALID_ID; never a database error).
 */
export function parseIds(typename: string, field: string, ids: readonly string[] | null | undefined): string[] | undefined {
  if (!ids || ids.length === 0) return undefined;
  return ids.map((raw) => {
    const id = raw.trim();
    if (UUID.test(id)) return id.toLowerCase();
    const decoded = decodeGlobalId(id);
    if (!decoded || decoded.typename !== typename || !UUID.test(decoded.id)) {
      throw badInput('INVALID_ID', `${field}: "${id}" is not a ${typename} id`, { field });
    }
    return decoded.id.toLowerCase();
  });
}

/** Same for models with bigint ids (audit log, ledger entries). */
export function parseBigIds(typename: string, field: string, ids: readonly string[] | null | undefined): bigint[] | undefined {
  if (!ids || ids.length === 0) return undefined;
  return ids.map((raw) => {
    let id = raw.trim();
    if (!BIG_ID.test(id)) {
      const decoded = decodeGlobalId(id);
      if (!decoded || decoded.typename !== typename || !BIG_ID.test(decoded.id)) {
        throw badInput('INVALID_ID', `${field}: "${raw}" is not a ${typename} id`, { field });
      }
      id = decoded.id;
    }
    return BigInt(id);
  });
}
