import { GraphQLError } from 'graphql';

/**
 * A client mistake in a list's arguments (bad cursor, unparsable amount, unknown currency): a GraphQL
 * error with `extensions.code = "BAD_USER_INPUT"` and a stable `reason`, never a raw exception.
 */
export function badInput(reason: string, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason, ...details } });
}
