import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

/** Text files worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|webmanifest)$/;
/** Below this many bytes a compressed copy saves less than its headers cost. */
const COMPRESS_MIN_BYTES = 1024;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * Writes `<file>.br` and `<file>.gz` beside every compressible output file, once at build time, so the
 * server sends them as they are (@fastify/static `preCompressed`) instead of compressing per request.
 * A copy that would not be smaller is not written.
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'payrail:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await listFiles(outDir)).filter((file) => COMPRESSIBLE.test(file) && !file.includes(`${path.sep}.vite${path.sep}`));
      await Promise.all(
        files.map(async (file) => {
          const source = await readFile(file);
          if (source.length < COMPRESS_MIN_BYTES) return;
          const [br, gz] = await Promise.all([
            promisify(brotliCompress)(source, {
              params: {
                [zlibConstants.BROTLI_PARAM_QUALITY]: zlibConstants.BROTLI_MAX_QUALITY,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: source.length,
              },
            }),
            promisify(gzip)(source, { level: 9 }),
          ]);
          if (br.length < source.length) await writeFile(`${file}.br`, br);
          if (gz.length < source.length) await writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/** The Payrail server (`npm run dev`) the dev server forwards API traffic to; PAYRAIL_SERVER overrides it. */
const SERVER = process.env.PAYRAIL_SERVER ?? 'http://127.0.0.1:4000';

/**
 * Server-owned paths. Keys starting with `^` are regular expressions: a plain '/pay' key would also
 * swallow SPA routes such as '/payins' or '/payouts'.
 */
const serverPaths = ['graphql', 'v1', 'pay', 'healthz', 'api'];

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), precompress()],
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
