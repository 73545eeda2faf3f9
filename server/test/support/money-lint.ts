import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The "money never passes through a JS number" rule as a lint over source text. It flags, outside
 * tests and generated code:
 *   - any `parseFloat(` (a payments code base has no use for it);
 *   - `Number(…)`, `parseInt(…)`, `Math.round(…)`, `.toNumber()` and unary `+` on a line that talks
 *     about money (amount, fee, balance, price, total, minor units, limits …);
 *   - a property or variable typed `number` whose name is money (`amount: number`, `fee?: number` …).
 * A line that really means it (e.g. the demo generator drawing random amounts) carries
 * `money-lint-allow: <reason>` on the same or the previous line.
 */

const MONEY_STEM = /(amount|fee|balance|price|total|money|minor|median|inflow|outflow|available|frozen|bound|limitlower|limitupper)/i;
/** Identifiers that contain a money stem but count things (totalRows, feeCount …). */
const NOT_MONEY = /(rows|count|pages|items|seconds|ms|size|attempts)$/i;
const NUMBER_CALL = /\b(Number|parseInt|Number\.parseInt|Math\.round|Math\.floor|Math\.ceil)\s*\(|\.toNumber\s*\(\s*\)|(^|[=(,:?]\s*)\+\s*[A-Za-z_$][\w$.]*([Aa]mount|[Ff]ee|[Bb]alance)/;

function mentionsMoney(text: string): boolean {
  return (text.match(/[A-Za-z_$][\w$]*/g) ?? []).some((word) => MONEY_STEM.test(word) && !NOT_MONEY.test(word));
}
const TYPED_NUMBER = /\b([A-Za-z_$][\w$]*)\??\s*:\s*number\b/g;
const ALLOW = /money-lint-allow:\s*\S/;

export interface MoneyLintViolation {
  file: string;
  line: number;
  text: string;
  rule: 'parseFloat' | 'number-conversion' | 'number-type';
}

export function lintMoneySource(source: string, file: string): MoneyLintViolation[] {
  const lines = source.split('\n');
  const out: MoneyLintViolation[] = [];
  lines.forEach((raw, i) => {
    const text = raw.replace(/\/\/(?!.*money-lint-allow).*$/, '').trim();
    if (text === '' || text.startsWith('*') || text.startsWith('/*')) return;
    if (ALLOW.test(raw) || (i > 0 && ALLOW.test(lines[i - 1]!))) return;
    const at = { file, line: i + 1, text: raw.trim() };
    if (/\bparseFloat\s*\(/.test(text)) out.push({ ...at, rule: 'parseFloat' });
    else if (NUMBER_CALL.test(text) && mentionsMoney(text)) out.push({ ...at, rule: 'number-conversion' });
    else if ([...text.matchAll(TYPED_NUMBER)].some((m) => MONEY_STEM.test(m[1]!) && !NOT_MONEY.test(m[1]!))) out.push({ ...at, rule: 'number-type' });
  });
  return out;
}

/** Source files under `dir` (.ts, .vue), skipping tests, generated code and dependencies. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'generated' || name === 'gql' || name === 'dist') continue;
    if (statSync(full).isDirectory()) files.push(...sourceFiles(full));
    else if (/\.(ts|vue)$/.test(name) && !/\.test\.ts$/.test(name) && !name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

export function lintMoneyTree(dir: string): MoneyLintViolation[] {
  return sourceFiles(dir).flatMap((file) => lintMoneySource(readFileSync(file, 'utf8'), path.relative(path.join(dir, '..', '..'), file)));
}
