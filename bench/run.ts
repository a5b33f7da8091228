export {};

// `npm run bench -- <scenario> [options]`: measured runs against a baseline in the same process.
const scenarios: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import('./import.bench'),
  bot: () => import('./bot.bench'),
  intake: () => import('./intake.bench'),
  ledger: () => import('./ledger.bench'),
  fees: () => import('./fees.bench'),
  chat: () => import('./chat'),
  search: () => import('./search'),
  pages: () => import('./pages'),
  flood: () => import('./flood.bench'),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? scenarios[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(scenarios).join('|')}> [options]\n`);
  process.exit(1);
}
await (await load()).run(args);
process.exit(0);
