// Moved to graphql/config/catalog.schema.ts; this re-export keeps the other domains' imports working until they point there.
export * from '../config/catalog.schema.ts';
