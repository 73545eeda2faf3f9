// Moved to graphql/merchants/merchants.schema.ts; this re-export keeps the other domains' imports working until they point there.
export * from '../merchants/merchants.schema.ts';
