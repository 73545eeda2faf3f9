import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What the first screen of the admin SPA costs in JavaScript, from Vite's build manifest
 * (`build.manifest: true` writes `<dist>/.vite/manifest.json`).
 *
 * The first screen is: the entry chunk of index.html and every chunk it imports statically (the
 * modulepreloads), plus the lazily loaded page the user lands on and that page's own static imports.
 * Sizes are gzip (zlib's default level, as Vite reports them) of each file, each file counted once.
 */

export const FIRST_SCREEN_BUDGET_BYTES = 400 * 1024;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

export interface ScreenCost {
  /** JS files loaded (dist-relative), in load order. */
  files: string[];
  rawBytes: number;
  gzipBytes: number;
}

export async function readManifest(dist: string): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/** Manifest keys of `key` and everything it imports statically, depth first. */
function staticClosure(manifest: Manifest, key: string, seen: Set<string>): void {
  if (seen.has(key)) return;
  const chunk = manifest[key];
  if (!chunk) throw new Error(`no chunk ${key} in the build manifest`);
  seen.add(key);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, seen);
}

/**
 * JS of the entry plus the page whose source is `pageSource` (e.g. `src/views/auth/login/index.vue`,
 * relative to web/), with gzip sizes.
 */
export async function firstScreenCost(dist: string, pageSource?: string): Promise<ScreenCost> {
  const manifest = await readManifest(dist);
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('the build manifest has no entry chunk');
  const keys = new Set<string>();
  staticClosure(manifest, entry[0], keys);
  if (pageSource) {
    if (!manifest[pageSource]) throw new Error(`the page ${pageSource} is not a chunk of its own (is its route lazy?)`);
    staticClosure(manifest, pageSource, keys);
  }
  const files = [...keys].map((key) => manifest[key]!.file).filter((file) => file.endsWith('.js'));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of new Set(files)) {
    const bytes = await readFile(path.join(dist, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes).length;
  }
  return { files: [...new Set(files)], rawBytes, gzipBytes };
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
