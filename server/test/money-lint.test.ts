import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lintMoneySource, lintMoneyTree } from './support/money-lint.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('money never passes through a JS number', () => {
  it('the rule catches the usual ways money becomes a float', () => {
    const bad = [
      'const amount = parseFloat(body.amount);',
      'const fee = Number(ms.feeFixed) * 1.5;',
      'const total = parseInt(req.total, 10);',
      'const cents = Math.round(price * 100);',
      'return rate.toNumber() * balance;',
      'interface Row { amount: number }',
      'let availableBalance?: number;',
      'const x = +order.amount;',
    ];
    for (const line of bad) expect(lintMoneySource(line, 'x.ts'), line).toHaveLength(1);
    const fine = [
      "const port = Number(process.env.PORT);",
      'const amount = parseAmount(body.amount, digits);',
      'const prefix = Number(prefixText);',
      'const n = Number(median); // money-lint-allow: demo data draws random amounts',
      'interface Page { count: number }',
    ];
    for (const line of fine) expect(lintMoneySource(line, 'x.ts'), line).toEqual([]);
  });

  it('server/src, web/src and bench are clean', () => {
    const violations = [...lintMoneyTree(`${root}server/src`), ...lintMoneyTree(`${root}web/src`), ...lintMoneyTree(`${root}bench`)];
    expect(violations).toEqual([]);
  });
});
