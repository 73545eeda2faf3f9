// Moved to graphql/config/channels.schema.ts; this re-export keeps the other domains' imports working until they point there.
export * from '../config/channels.schema.ts';
