import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/prisma.ts';
import type { ApiToken } from '../../generated/prisma/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { PLATFORM_ONLY_CODES } from './ability.ts';
import { userActor } from './account.service.ts';
import { AuthError } from './auth.errors.ts';
import { PERMISSIONS } from './permissions.ts';
import { API_TOKEN_PREFIX } from './principal.ts';
import { hashToken } from './sessions.ts';
import type { UserViewer } from './viewer.ts';

/**
 * API tokens let a merchant's servers call GraphQL (`Authorization: Bearer prt_…`). A token belongs to
 * one merchant and carries a subset of its creator's permission codes (never a platform-only code).
 * Only its sha256 is stored, with a short prefix to recognise it in lists; the token is shown once.
 */

const KNOWN_CODES = new Set<number>(Object.values(PERMISSIONS));
const PREFIX_LENGTH = 12;

/** The fields of a token that are safe to show (never the hash). */
export type ApiTokenView = Omit<ApiToken, 'tokenHash'>;

export function viewOf(token: ApiToken): ApiTokenView {
  const { tokenHash: _hash, ...view } = token;
  return view;
}

export async function createApiToken(
  prisma: PrismaClient,
  viewer: UserViewer,
  input: { name: string; permissions: number[]; expiresAt?: Date | null; ip?: string | null },
): Promise<{ token: string; apiToken: ApiTokenView }> {
  const merchantId = viewer.merchantId;
  if (!merchantId || viewer.global) throw new AuthError('INVALID_INPUT', 'API tokens belong to a merchant: sign in as a member of the merchant');
  const name = input.name.trim();
  if (!name || name.length > 100) throw new AuthError('INVALID_INPUT', 'name must be 1..100 characters', { details: { field: 'name' } });
  const permissions = [...new Set(input.permissions)].sort((a, b) => a - b);
  if (!permissions.length) throw new AuthError('INVALID_PERMISSIONS', 'a token needs at least one permission');
  const refused = permissions.filter((code) => !KNOWN_CODES.has(code) || PLATFORM_ONLY_CODES.has(code) || !viewer.permissions.has(code));
  if (refused.length) {
    throw new AuthError('INVALID_PERMISSIONS', `permissions not available to this token: ${refused.join(', ')}`, { details: { refused } });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new AuthError('INVALID_INPUT', 'expiresAt must be in the future', { details: { field: 'expiresAt' } });
  }
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        merchantId,
        name,
        tokenHash: hashToken(token),
        prefix: token.slice(0, PREFIX_LENGTH),
        permissions,
        createdById: viewer.userId,
        expiresAt: input.expiresAt ?? null,
      },
    });
    const apiToken = viewOf(row);
    await recordAudit(tx, userActor(viewer, input.ip), {
      action: 'api_token.create',
      merchantId,
      entityType: 'ApiToken',
      entityId: row.id,
      after: { name, prefix: row.prefix, permissions, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { token, apiToken };
  });
}

/** Revokes a token (idempotent: revoking a revoked token keeps its first revocation time). */
export async function revokeApiToken(
  prisma: PrismaClient,
  viewer: UserViewer,
  token: ApiToken,
  ip?: string | null,
): Promise<ApiTokenView> {
  return prisma.$transaction(async (tx) => {
    const row = token.revokedAt ? token : await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, userActor(viewer, ip), {
      action: 'api_token.revoke',
      merchantId: token.merchantId,
      entityType: 'ApiToken',
      entityId: token.id,
      before: { revokedAt: token.revokedAt?.toISOString() ?? null },
      after: { revokedAt: row.revokedAt?.toISOString() ?? null },
    });
    return viewOf(row);
  });
}

/** Who created a token, as its list shows them. */
export interface ApiTokenCreator {
  id: string;
  name: string;
  email: string;
}

/** The creators of tokens, by user id, in one query (ids of deleted users are simply absent). */
export async function apiTokenCreators(prisma: PrismaClient, userIds: readonly string[]): Promise<Map<string, ApiTokenCreator>> {
  const ids = [...new Set(userIds)];
  if (!ids.length) return new Map();
  const users = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((user) => [user.id, user]));
}
