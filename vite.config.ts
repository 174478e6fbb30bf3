import { defineConfig } from 'vite';
import { globSync } from 'node:fs';

// One config, two builds:
//   `vite build`                   npm build: unbundled ES modules, the dependencies external.
//   `vite build --mode script-tag` the drop-in files, everything inlined and minified:
//                                  dist/call-elements.js (ES module) and dist/call-elements.iife.js (classic).
//   `vite build --mode player`     the standalone <call-player>: dist/call-player.js and dist/call-player.iife.js.
// Storybook reads this file too and keeps only `define` and `build.target` from it.
const external = [/^lit($|\/)/, /^@lit\//, /^rxjs($|\/)/, /^partytracks($|\/)/, /^valibot($|\/)/];

/** The drop-in bundles: one entry, minified, as an ES module and as a classic script setting `globalName`. */
const scriptTag = (name: string, entry: string, globalName: string) => ({
  target: 'es2022',
  outDir: 'dist',
  emptyOutDir: false,
  sourcemap: true,
  minify: true,
  rolldownOptions: {
    input: { [name]: entry },
    preserveEntrySignatures: 'strict' as const,
    output: [
      { format: 'es' as const, entryFileNames: '[name].js', minify: true },
      { format: 'iife' as const, name: globalName, entryFileNames: '[name].iife.js', minify: true },
    ],
  },
});

export default defineConfig(({ mode }) => ({
  // Library builds do not replace process.env.NODE_ENV; tiny-invariant (via partytracks) reads it.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build:
    mode === 'script-tag'
      ? scriptTag('call-elements', 'src/script-tag.ts', 'CallElements')
      : mode === 'player'
        ? scriptTag('call-player', 'src/player-script-tag.ts', 'CallPlayerElement')
        : {
            target: 'es2022',
            outDir: 'dist',
            emptyOutDir: true,
            sourcemap: true,
            minify: false,
            lib: {
              entry: ['src/index.ts', 'src/all.ts', 'src/testing/index.ts', ...globSync('src/define/*.ts')],
              formats: ['es' as const],
            },
            rolldownOptions: {
              external,
              output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
            },
          },
}));
