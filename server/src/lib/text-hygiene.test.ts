import { describe, expect, it } from 'vitest';
import { decodeUtf8, findDirtyInput, INVALID_UTF8_MARK, isCleanText, MAX_JSON_DEPTH, printableField } from './text-hygiene.ts';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('isCleanText', () => {
  it('accepts any well-formed text, astral characters and U+FFFD included', () => {
    for (const text of ['', 'Somchai', 'สมชาย', '张三', 'emoji 😀 pair', '\uFFFD', '\t\n\r', '\u0001']) expect(isCleanText(text), text).toBe(true);
  });
  it('refuses NUL and lone surrogates wherever they are', () => {
    for (const text of ['\u0000', 'a\u0000b', '\uD800', 'a\uD800b', '\uDC00', 'x\uDFFF', '😀'.slice(0, 1), '😀'.slice(1), '\uDC00\uD800']) {
      expect(isCleanText(text), JSON.stringify(text)).toBe(false);
    }
  });
});

describe('findDirtyInput', () => {
  it('names the field of a dirty value, nested path included', () => {
    expect(findDirtyInput({ a: 'ok', payer_name: 'x\u0000' })).toEqual({ field: 'payer_name', problem: 'NUL' });
    expect(findDirtyInput({ meta: { note: '\uD83D' } })).toEqual({ field: 'meta.note', problem: 'LONE_SURROGATE' });
    expect(findDirtyInput({ list: ['ok', ['\u0000']] })).toEqual({ field: 'list[1][0]', problem: 'NUL' });
    expect(findDirtyInput('\u0000')).toEqual({ field: 'body', problem: 'NUL' });
  });
  it('names a dirty key, printably', () => {
    const found = findDirtyInput({ ['k\u0000ey']: 1 });
    expect(found).toEqual({ field: 'k\uFFFDey', problem: 'NUL' });
    expect(isCleanText(found!.field)).toBe(true);
    expect(printableField('x'.repeat(500)).length).toBeLessThanOrEqual(101);
  });
  it('reports the first dirty field in document order', () => {
    expect(findDirtyInput({ first: '\u0000', second: '\uD800' })?.field).toBe('first');
  });
  it('passes clean bodies, numbers, booleans and nulls', () => {
    expect(findDirtyInput({ a: 1, b: true, c: null, d: ['x', { e: '😀' }] })).toBeNull();
  });
  it('refuses nesting deeper than the limit without recursion (100 000 levels)', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findDirtyInput({ attach: deep })).toEqual({ field: 'attach', problem: 'TOO_DEEP' });
    let ok: unknown = 'leaf';
    for (let i = 0; i < MAX_JSON_DEPTH - 1; i++) ok = [ok];
    expect(findDirtyInput({ attach: ok })).toBeNull();
  });
});

describe('decodeUtf8', () => {
  it('decodes valid UTF-8 exactly, a leading BOM and real U+FFFD kept', () => {
    expect(decodeUtf8(bytes('{"a":"สมชาย 😀 \uFFFD"}'))).toEqual({ text: '{"a":"สมชาย 😀 \uFFFD"}', valid: true });
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], '{}')).text).toBe('\uFEFF{}');
  });
  it('marks the first undecodable sequence so the field it is in can be named', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['stray continuation', bytes('{"ok":"\uFFFD","name":"a', [0x80], 'b"}')],
      ['overlong slash', bytes('{"name":"', [0xc0, 0xaf], '"}')],
      ['UTF-8 encoded surrogate', bytes('{"name":"', [0xed, 0xa0, 0x80], '"}')],
      ['truncated sequence', bytes('{"name":"😀', [0xf0, 0x9f], '"}')],
      ['above U+10FFFF', bytes('{"name":"', [0xf4, 0x90, 0x80, 0x80], '"}')],
      ['latin-1', bytes('{"name":"Jos', [0xe9], '"}')],
    ];
    for (const [what, body] of cases) {
      const decoded = decodeUtf8(body);
      expect(decoded.valid, what).toBe(false);
      expect(decoded.text, what).toContain(INVALID_UTF8_MARK);
      expect(findDirtyInput(JSON.parse(decoded.text)), what).toEqual({ field: 'name', problem: 'LONE_SURROGATE' });
    }
  });
});
