import { readFileSync } from 'node:fs';
import { detectHumanRequest } from './src/server/modules/bot/human-request';

const lines = readFileSync('../shared/data/bot-eval/dev.csv', 'utf8').trim().split('\n').slice(1);
const parse = (l: string) => {
  const out: string[] = [];
  let cur = '',
    q = false;
  for (const ch of l) {
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
};
let tp = 0,
  fn = 0,
  fp = 0,
  n = 0;
const misses: string[] = [];
const fps: string[] = [];
for (const l of lines) {
  const [lang, text, intent] = parse(l);
  const h = detectHumanRequest(text!).person;
  if (intent === 'human_agent') {
    h ? tp++ : (fn++, misses.push(text!));
  } else {
    n++;
    if (h) {
      fp++;
      fps.push(`${intent}: ${text}`);
    }
  }
}
console.log({ recall: tp / (tp + fn), fp, n });
console.log(
  misses
    .sort(() => 0.5 - Math.random())
    .slice(0, 40)
    .join('\n'),
);
console.log('--- fp');
console.log(fps.slice(0, 15).join('\n'));
