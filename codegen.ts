import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the admin SPA, generated offline from the schema the server prints
 * (`npm run codegen` prints it first). PAYRAIL_SCHEMA points at another schema file.
 */
const config: CodegenConfig = {
  schema: process.env.PAYRAIL_SCHEMA ?? 'server/schema.graphql',
  documents: ['web/src/**/*.{ts,vue}', '!web/src/gql/**'],
  generates: {
    'web/src/gql/': {
      preset: 'client',
      // Fragments only share selections between documents; their fields are read directly. The persisted
      // documents (persisted-documents.json) are the production allow-list of the SPA's operations.
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        scalars: { DateTime: 'string', Decimal: 'string', JSON: 'unknown' },
        useTypeImports: true,
        enumsAsTypes: true,
      },
    },
  },
};

export default config;
