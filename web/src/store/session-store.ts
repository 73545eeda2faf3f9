import { reactive } from 'vue';
import type { ViewerFieldsFragment } from '@/gql/graphql';
import { clientRef, resetClient } from '@/graphql/client';
import { logoutEverywhereMutation, logoutMutation, meQuery } from '@/graphql/session.graphql';
import { ability, updateAbility } from '@/permissions/ability';

/**
 * Who is signed in (Pinia-free: one reactive object and the functions that change it).
 *
 * - `unknown`: not asked yet (page just loaded).
 * - `anonymous`: no session; `expired` tells that one ended under us (show "signed out" on the login page).
 * - `mfa`: password accepted, the second factor (or TOTP enrolment) is owed: only the login page works.
 * - `password`: signed in with a password an administrator set: the login page asks for a new one first.
 * - `ready`: signed in; `viewer` holds `me` and the CASL ability has its rules.
 */
export type SessionStatus = 'unknown' | 'anonymous' | 'mfa' | 'password' | 'ready';

export type Viewer = ViewerFieldsFragment;

export const session = reactive<{ status: SessionStatus; viewer: Viewer | null; expired: boolean; enrolmentRequired: boolean }>({
  status: 'unknown',
  viewer: null,
  expired: false,
  enrolmentRequired: false,
});

const listeners = new Set<(viewer: Viewer) => void>();

/** Runs `listener` with every viewer that becomes signed in (the app store applies their locale). */
export function onSignedIn(listener: (viewer: Viewer) => void): void {
  listeners.add(listener);
}

export function applyViewer(viewer: Viewer | null): void {
  session.viewer = viewer;
  if (!viewer) {
    session.status = 'anonymous';
    updateAbility(ability, null);
    return;
  }
  session.status = !viewer.mfa.verified ? 'mfa' : viewer.passwordChangeRequired ? 'password' : 'ready';
  if (viewer.mfa.verified) session.enrolmentRequired = false;
  updateAbility(ability, session.status === 'ready' ? viewer.abilityRules : null);
  if (session.status === 'ready') {
    session.expired = false;
    for (const listener of listeners) listener(viewer);
  }
}

let loading: Promise<SessionStatus> | null = null;

/** Asks the server who we are (once, unless `force`). A network failure leaves the status unknown and throws. */
export function loadSession(force = false): Promise<SessionStatus> {
  if (!force && session.status !== 'unknown') return Promise.resolve(session.status);
  loading ??= (async () => {
    try {
      const result = await clientRef.value.query(meQuery, {}, { requestPolicy: 'network-only' }).toPromise();
      if (result.error && !result.data) throw result.error;
      applyViewer(result.data?.me ?? null);
      return session.status;
    } finally {
      loading = null;
    }
  })();
  return loading;
}

/** After a successful sign-in: the new viewer, a fresh client (new cookie: new socket, empty cache). */
export function signedIn(viewer: Viewer): void {
  resetClient();
  applyViewer(viewer);
}

/** The session ended on the server (UNAUTHENTICATED somewhere): forget the viewer. */
export function sessionExpired(): void {
  if (session.status === 'anonymous') return;
  session.expired = session.status === 'ready';
  applyViewer(null);
  resetClient();
}

export async function signOut(opts: { everywhere?: boolean } = {}): Promise<void> {
  const client = clientRef.value;
  try {
    if (opts.everywhere) await client.mutation(logoutEverywhereMutation, {}).toPromise();
    else await client.mutation(logoutMutation, {}).toPromise();
  } finally {
    session.expired = false;
    applyViewer(null);
    resetClient();
  }
}
