/**
 * A client mistake in a list's arguments (bad cursor, unparsable amount, unknown currency): a
 * DomainError `BAD_USER_INPUT` with a stable `reason`, shown as `extensions.code` / `extensions.reason`
 * by the one error presenter (graphql/errors.ts), never a raw exception.
 */
export { badInput } from '../../lib/where.ts';
