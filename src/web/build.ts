// Builds the web pages (one single-page app) and the one-tag widget with Vite's JS API, when the build
// is missing or was made from other sources. `npm start` and the test setup call it: no step for a user.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');
const webSources = join(root, 'src', 'web');
/** Where the built pages live; ignored by git, served by the static handler. */
export const webBuildDir = join(root, 'dist', 'web');
const HASH_FILE = '.source-hash';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !/\.test\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The hash of everything the bundle is made of: the web sources, the contracts and the toolchain. */
export async function webSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const vite = JSON.parse(await readFile(join(root, 'node_modules', 'vite', 'package.json'), 'utf8'));
  hash.update(`vite ${vite.version}\n`);
  for (const dir of [webSources, join(root, 'src', 'contracts')])
    for (const file of await filesUnder(dir)) {
      hash.update(`${relative(root, file)}\n`);
      hash.update(await readFile(file));
    }
  return hash.digest('hex');
}

/** Builds into `webBuildDir` unless it holds a build of the current sources; returns what it did. */
export async function ensureWebBuild(
  options: { force?: boolean; log?: (message: string) => void } = {},
): Promise<{ built: boolean; ms: number; dir: string }> {
  const started = Date.now();
  const hash = await webSourceHash();
  const current = existsSync(join(webBuildDir, HASH_FILE))
    ? (await readFile(join(webBuildDir, HASH_FILE), 'utf8')).trim()
    : '';
  if (!options.force && current === hash) return { built: false, ms: Date.now() - started, dir: webBuildDir };
  options.log?.('building the web pages (once per change of src/web or src/contracts)…');
  // Built aside and swapped in, so a running server or a second build never sees half a bundle.
  const staging = `${webBuildDir}.building-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await buildInto(staging);
    await writeFile(join(staging, HASH_FILE), `${hash}\n`);
    const old = `${webBuildDir}.old-${process.pid}-${Date.now()}`;
    if (existsSync(webBuildDir)) await rename(webBuildDir, old);
    await rename(staging, webBuildDir);
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { built: true, ms: Date.now() - started, dir: webBuildDir };
}

async function buildInto(outDir: string) {
  // Vite picks React's JSX runtime (development or production) from NODE_ENV, which `npm start`
  // (development) and vitest (test) set otherwise: the bundle is always the production one.
  const callersNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildBundles(outDir);
  } finally {
    if (callersNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callersNodeEnv;
  }
}

async function buildBundles(outDir: string) {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  const common = {
    mode: 'production',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    configFile: false as const,
    root: webSources,
    logLevel: 'warn' as const,
    publicDir: false as const,
  };
  // The pages: hashed file names under /assets/, cached for a year; index.html is the SPA shell.
  await build({
    ...common,
    base: '/',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: false,
      assetsDir: 'assets',
      target: 'es2022',
      sourcemap: false,
      // No module preload polyfill: it would be the only inline code, and the CSP forbids it.
      modulePreload: { polyfill: false },
      rolldownOptions: { input: join(webSources, 'index.html') },
    },
  });
  // The widget: one small file with a stable name (it is in the operators' pages), no React.
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2020',
      sourcemap: false,
      copyPublicDir: false,
      lib: {
        entry: join(webSources, 'widget', 'widget.ts'),
        formats: ['iife'],
        name: 'OnbehalfWidget',
        fileName: () => 'widget.js',
      },
    },
  });
}
