// `npm run bench -- <name>`: runs bench/<name>.bench.ts. Benchmarks stay out of `npm test`.
import { readdirSync } from 'node:fs';

const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !available.includes(n))) {
  console.error(`usage: npm run bench -- <${available.join('|') || 'none yet'}>`);
  process.exit(2);
}
for (const name of names) await import(`./${name}.bench.ts`);
