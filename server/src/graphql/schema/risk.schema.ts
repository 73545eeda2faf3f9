// Moved to graphql/config/risk.schema.ts and graphql/config/fx-rates.schema.ts; this re-export keeps the other domains' imports working until they point there.
export * from '../config/risk.schema.ts';
export * from '../config/fx-rates.schema.ts';
