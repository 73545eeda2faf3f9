import { GraphQLError } from 'graphql';
import { maskError } from 'graphql-yoga';
import { DomainError } from '../lib/errors.ts';

/**
 * The one error model of the GraphQL API: an operation refuses by throwing a DomainError (its stable
 * code: UNAUTHENTICATED, FORBIDDEN, INSUFFICIENT_BALANCE, INVALID_TRANSITION …), and this presenter —
 * yoga's error mask, the single place errors leave the API — turns it into a GraphQL error whose
 * `extensions.code` is that code, with the error's details (field, min, max …) beside it. Anything
 * else is unexpected and masked (INTERNAL_SERVER_ERROR; its message only in development).
 */
export function presentError(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof DomainError) {
    const located = error instanceof GraphQLError ? error : undefined;
    return new GraphQLError(original.message, {
      nodes: located?.nodes,
      source: located?.source,
      positions: located?.positions,
      path: located?.path,
      extensions: { ...original.details, code: original.code },
    });
  }
  return maskError(error, message, isDev);
}
