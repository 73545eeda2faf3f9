// Moved to graphql/users/users.schema.ts; this re-export keeps the other domains' imports working until they point there.
export * from '../users/users.schema.ts';
