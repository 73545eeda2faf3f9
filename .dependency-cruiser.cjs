/**
 * The layer rules of ARCHITECTURE.md, checked on every `npm test` (server/test/architecture.test.ts)
 * and by `npm run lint:layers`. What imports can not show (who writes which table) is checked by the
 * same test by reading the code.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import circles make the house unreadable and order-dependent at start-up.',
      from: { path: '^server/src' },
      to: { circular: true },
    },
    {
      name: 'modules-never-import-adapters',
      severity: 'error',
      comment: 'Domain modules are called by the adapters (GraphQL, REST, HTTP routes, cashier), never the other way round.',
      from: { path: '^server/src/modules/' },
      to: { path: '^server/src/(graphql|rest|http|cashier)/' },
    },
    {
      name: 'modules-use-only-the-queue-from-jobs',
      severity: 'error',
      comment: 'From jobs/ a module may use the job context types and the queue (enqueue in its transaction); the worker and its janitor sit above the modules.',
      from: { path: '^server/src/modules/' },
      to: { path: '^server/src/jobs/', pathNot: '^server/src/jobs/(job-context|queue)\\.ts$' },
    },
    {
      name: 'the-worker-knows-no-module',
      severity: 'error',
      comment: 'jobs/ is the queue, the worker and its heartbeat; platform.ts hands it the modules\' tasks (JobModule).',
      from: { path: '^server/src/jobs/' },
      to: { path: '^server/src/modules/' },
    },
    {
      name: 'nothing-below-imports-the-composition-root',
      severity: 'error',
      comment: 'platform.ts, app.ts and the entry points assemble the house; nothing inside depends on them.',
      from: { path: '^server/src/(modules|graphql|rest|http|cashier|jobs|events|lib|db|config)/' },
      to: { path: '^server/src/(platform|app|main|worker-main)\\.ts$' },
    },
    {
      name: 'adapters-do-not-import-each-other',
      severity: 'error',
      comment: 'GraphQL, REST, the export routes and the cashier each stand on the modules alone.',
      from: { path: '^server/src/(graphql|rest|http|cashier)/' },
      to: { path: '^server/src/(graphql|rest|http|cashier)/', pathNot: '^server/src/$1/' },
    },
    {
      name: 'connector-internals-stay-in-their-folder',
      severity: 'error',
      comment: 'A connector folder (its flows and its wire format) is reached only through connectors/registry.ts and the Connector interface.',
      from: { path: '^server/src/', pathNot: '^server/src/modules/routing/connectors/' },
      to: { path: '^server/src/modules/routing/connectors/[^/]+/' },
    },
    {
      name: 'connectors-do-not-share-internals',
      severity: 'error',
      comment: 'One connector never reaches into another one\'s folder.',
      from: { path: '^server/src/modules/routing/connectors/([^/]+)/' },
      to: { path: '^server/src/modules/routing/connectors/[^/]+/', pathNot: '^server/src/modules/routing/connectors/$1/' },
    },
    {
      name: 'lib-and-events-stand-alone',
      severity: 'error',
      comment: 'lib/ and events/ are the ground floor: they import no module, adapter or job.',
      from: { path: '^server/src/(lib|events)/' },
      to: { path: '^server/src/(modules|graphql|rest|http|cashier|jobs)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '^server/src/generated/'] },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
