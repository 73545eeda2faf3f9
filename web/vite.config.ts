import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** The Payrail server (`npm run dev`) the dev server forwards API traffic to; PAYRAIL_SERVER overrides it. */
const SERVER = process.env.PAYRAIL_SERVER ?? 'http://127.0.0.1:4000';

/**
 * Server-owned paths. Keys starting with `^` are regular expressions: a plain '/pay' key would also
 * swallow SPA routes such as '/payins' or '/payouts'.
 */
const serverPaths = ['graphql', 'v1', 'pay', 'healthz', 'api'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  define: {
    // vue-i18n esm-bundler feature flags: Composition API only, no devtools in production.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    proxy: Object.fromEntries(
      serverPaths.map((path) => [
        `^/${path}(?:[/?]|$)`,
        { target: SERVER, ws: path === 'graphql' },
      ]),
    ),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // .vite/manifest.json: the browser tests measure the first screen's JS from it.
    manifest: true,
    rolldownOptions: {
      output: {
        // Vite 8 bundles with Rolldown: `codeSplitting.groups` replaces Rollup's `manualChunks`.
        codeSplitting: {
          groups: [
            {
              // The Vue runtime, on its own so naive-ui's chunk does not absorb it (groups take their
              // modules' dependencies along).
              name: 'vue',
              test: /[\\/]node_modules[\\/](?:vue|@vue[\\/][^\\/]+)[\\/]/,
              priority: 30,
            },
            {
              // The naive-ui parts the shell needs at start ('$initial': statically reachable from the
              // entry). Components only lazy pages use stay in those pages' chunks, so the first screen
              // does not pay for every component the back office uses.
              name: 'naive-ui',
              test: /[\\/]node_modules[\\/](?:naive-ui|vueuc|vooks|vdirs|seemly|evtd|treemate|css-render|@css-render|@emotion[\\/]hash|date-fns|date-fns-tz|lodash-es|async-validator|@juggle[\\/]resize-observer)[\\/]/,
              tags: ['$initial'],
              priority: 20,
            },
          ],
        },
      },
    },
  },
});
