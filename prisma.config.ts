import { defineConfig } from 'prisma/config';

// DATABASE_URL is read with a fallback: `env()` would throw when it is unset, even for `prisma generate`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/payrail' },
});
