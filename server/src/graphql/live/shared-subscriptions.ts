import { getOperationAST, print, type DocumentNode, type ExecutionResult } from 'graphql';
import type { GraphQLContext } from '../context.ts';

/**
 * One execution per event for every WebSocket subscriber of this process that would get the same
 * answer. graphql-ws executes a subscription's selection once per subscriber per event; with the back
 * office's live rows that is ≈ 1 ms of CPU per subscriber, so a change seen by 1,500 open tabs took
 * seconds to reach the last one. The tabs are many but their answers few: the same document and
 * variables, read under the same ability, give the same result. So subscribers are grouped by
 *
 *   (document, operation name, variables, the viewer's admission — kind, merchant, second factor,
 *    password state —, the ability's rules)
 *
 * and each group runs one subscription (the first subscriber's, through its own envelope) whose results
 * go to every member. Everything an answer depends on is in the key: the ability decides the filter
 * (which events), the read rule on the row, masking and relation guards; the admission decides whether
 * `requireViewer` lets the subscription start at all. Only the fields in SHAREABLE are grouped — their
 * answers depend on nothing else of the context (exportProgress, for one, depends on the user id).
 *
 * A member leaving removes itself; the last one ends the group's subscription. Sockets still end with
 * their session (socket-sessions.ts closes the socket, which returns its iterator here).
 */

const SHAREABLE: ReadonlySet<string> = new Set(['payinChanged', 'payoutChanged']);

interface SubscribeArgs {
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: Record<string, unknown> | null;
  contextValue: GraphQLContext;
}

type Result = ExecutionResult | AsyncIterable<ExecutionResult>;

interface Member {
  push(result: ExecutionResult): void;
  end(): void;
}

interface Group {
  members: Set<Member>;
  upstream: AsyncIterator<ExecutionResult>;
  /** The upstream ended: nobody joins any more. */
  closed: boolean;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function';

/** The grouping key, or null for an operation that is not shared (anything but one SHAREABLE root field). */
export function shareKey(args: SubscribeArgs): string | null {
  const operation = getOperationAST(args.document, args.operationName ?? undefined);
  if (!operation || operation.operation !== 'subscription') return null;
  const [field, ...others] = operation.selectionSet.selections;
  if (!field || others.length > 0 || field.kind !== 'Field' || !SHAREABLE.has(field.name.value)) return null;
  const { viewer, ability } = args.contextValue;
  const admission =
    viewer.kind === 'user'
      ? ['user', viewer.merchantId, viewer.mfaVerified, viewer.passwordChangeRequired]
      : viewer.kind === 'token'
        ? ['token', viewer.merchantId]
        : ['anonymous'];
  return JSON.stringify([print(args.document), args.operationName ?? null, args.variableValues ?? null, admission, ability.rules]);
}

/** A `subscribe` for graphql-ws that groups equal subscriptions; `run` starts one the usual way. */
export function createSubscriptionSharing() {
  const groups = new Map<string, Promise<Group | ExecutionResult>>();

  function start(key: string, run: () => Result | Promise<Result>): Promise<Group | ExecutionResult> {
    const started = Promise.resolve(run()).then((result): Group | ExecutionResult => {
      if (!isAsyncIterable(result)) return result;
      const group: Group = { members: new Set(), upstream: result[Symbol.asyncIterator](), closed: false };
      void pump(key, group, started);
      return group;
    });
    groups.set(key, started);
    // A refusal (an ExecutionResult) is not kept: the next subscriber asks again.
    void started.then(
      (g) => !('members' in g) && groups.get(key) === started && groups.delete(key),
      () => groups.get(key) === started && groups.delete(key),
    );
    return started;
  }

  async function pump(key: string, group: Group, entry: Promise<unknown>): Promise<void> {
    try {
      for (;;) {
        const next = await group.upstream.next();
        if (next.done) break;
        for (const member of group.members) member.push(next.value);
      }
    } catch {
      // The upstream failed: its members complete, as their own subscription would have.
    } finally {
      group.closed = true;
      if (groups.get(key) === entry) groups.delete(key);
      for (const member of group.members) member.end();
      group.members.clear();
    }
  }

  function join(key: string, group: Group, entry: Promise<unknown>): AsyncIterableIterator<ExecutionResult> {
    const queue: ExecutionResult[] = [];
    let waiting: ((next: IteratorResult<ExecutionResult>) => void) | null = null;
    let done = false;
    const member: Member = {
      push(result) {
        if (done) return;
        if (waiting) {
          const wake = waiting;
          waiting = null;
          wake({ value: result, done: false });
        } else queue.push(result);
      },
      end() {
        done = true;
        queue.length = 0;
        waiting?.({ value: undefined, done: true });
        waiting = null;
      },
    };
    group.members.add(member);
    const leave = () => {
      member.end();
      group.members.delete(member);
      if (group.members.size === 0) {
        if (groups.get(key) === entry) groups.delete(key);
        void group.upstream.return?.();
      }
    };
    return {
      next: () => {
        const value = queue.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => {
        leave();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw: (error: unknown) => {
        leave();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  return async function subscribe(args: SubscribeArgs, run: () => Result | Promise<Result>): Promise<Result> {
    const key = shareKey(args);
    if (key === null) return run();
    for (;;) {
      const entry = groups.get(key) ?? start(key, run);
      const group = await entry;
      if (!('members' in group)) return group;
      if (!group.closed) return join(key, group, entry);
    }
  };
}
