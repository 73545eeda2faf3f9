/**
 * Who is calling: nobody, a signed-in person (session cookie), or a merchant's server (API token).
 *
 * - `user.global`: the user holds at least one GLOBAL-scope role (platform staff). The codes of GLOBAL
 *   roles apply to every merchant; the codes of MERCHANT-scope roles apply to `merchantId` only (see
 *   `ability.ts`, which turns this into CASL rules).
 * - `user.mfaVerified`: the session passed the second factor (or none was required). A staff session
 *   that still needs TOTP has `mfaVerified = false` and gets no permissions until it is verified.
 * - `token`: always scoped to its merchant and to the permission codes it was issued with.
 */
export type Viewer =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      email: string;
      name: string;
      merchantId: string | null;
      global: boolean;
      permissions: ReadonlySet<number>;
      mfaVerified: boolean;
      /** An administrator set the password: only changePassword (and sign-out) work until the user picks their own. */
      passwordChangeRequired: boolean;
      sessionId: string;
    }
  | { kind: 'token'; tokenId: string; merchantId: string; permissions: ReadonlySet<number> };

export type UserViewer = Extract<Viewer, { kind: 'user' }>;
export type TokenViewer = Extract<Viewer, { kind: 'token' }>;

export const ANONYMOUS: Viewer = Object.freeze({ kind: 'anonymous' });
