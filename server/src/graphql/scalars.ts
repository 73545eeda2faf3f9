import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder.ts';

builder.scalarType('DateTime', {
  description: 'ISO 8601 timestamp in UTC, e.g. 2026-11-23T06:04:20.123Z',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('Decimal', {
  description: 'An exact decimal number as a string, e.g. "150.00". Never a float.',
  serialize: (value) => String(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral: (ast) => parseDecimal(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Arbitrary JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
}

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || !/^-?\d{1,30}(\.\d{1,18})?$/.test(value)) {
    throw new GraphQLError('Decimal must be a string like "150.00"', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}
