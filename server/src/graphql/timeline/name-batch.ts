import { createContextCache } from '@pothos/core';
import type { GraphQLContext } from '../context.ts';

/**
 * Names looked up by id for display (a timeline's actors, a ledger transaction's reference), one
 * query per kind per response: every id asked for while a response resolves joins the kind's batch,
 * loaded on the next turn of the event loop. `load` applies the viewer's read filter itself; an id it
 * does not return has no name (null).
 */
interface Batch {
  ids: Set<string>;
  started: boolean;
  loaded: Promise<Map<string, string>>;
}

const batches = createContextCache((_ctx: GraphQLContext) => new Map<string, Batch>());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function batchedName(
  ctx: GraphQLContext,
  kind: string,
  id: string | null | undefined,
  load: (ctx: GraphQLContext, ids: string[]) => Promise<Map<string, string>>,
): Promise<string | null> | null {
  if (!id || !UUID.test(id)) return null;
  const byKind = batches(ctx);
  let batch = byKind.get(kind);
  if (!batch || (batch.started && !batch.ids.has(id))) {
    const ids = new Set<string>();
    const fresh: Batch = {
      ids,
      started: false,
      loaded: new Promise((resolve, reject) => {
        setImmediate(() => {
          fresh.started = true;
          load(ctx, [...ids]).then(resolve, reject);
        });
      }),
    };
    byKind.set(kind, fresh);
    batch = fresh;
  }
  batch.ids.add(id);
  return batch.loaded.then((names) => names.get(id) ?? null);
}
