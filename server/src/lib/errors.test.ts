import { describe, it, expect } from 'vitest';
import { DomainError, isDomainError, isErrorCode } from './errors.ts';

class PayinNotFoundError extends DomainError {
  constructor(orderNo: string) {
    super('ORDER_NOT_FOUND', `order ${orderNo} not found`, { orderNo });
  }
}

describe('DomainError', () => {
  it('carries code, message and details', () => {
    const error = new DomainError('AMOUNT_OUT_OF_RANGE', 'amount outside 5.00..20000.00', { min: '5.00', max: null });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('AMOUNT_OUT_OF_RANGE');
    expect(error.message).toBe('amount outside 5.00..20000.00');
    expect(error.details).toEqual({ min: '5.00', max: null });
    expect(error.name).toBe('DomainError');
    expect(error.stack).toContain('DomainError');
  });

  it('keeps the cause', () => {
    const cause = new Error('db down');
    expect(new DomainError('X', 'y', undefined, { cause }).cause).toBe(cause);
  });

  it('works for subclasses', () => {
    const error = new PayinNotFoundError('P2026112300000000001');
    expect(error.name).toBe('PayinNotFoundError');
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error, 'ORDER_NOT_FOUND')).toBe(true);
    expect(isDomainError(error, 'OTHER')).toBe(false);
    expect(error.details).toEqual({ orderNo: 'P2026112300000000001' });
  });

  it('isDomainError is false for anything else', () => {
    expect(isDomainError(new Error('x'))).toBe(false);
    expect(isDomainError({ code: 'X', message: 'y' })).toBe(false);
    expect(isDomainError(undefined)).toBe(false);
  });

  it('insists on SCREAMING_SNAKE codes', () => {
    for (const code of ['A', 'ORDER_NOT_FOUND', 'HTTP_429', 'V2_KEY']) expect(isErrorCode(code)).toBe(true);
    for (const code of ['', 'order_not_found', 'OrderNotFound', '_X', 'X_', 'X__Y', '1X', 'X-Y', 'X Y']) {
      expect(isErrorCode(code)).toBe(false);
      expect(() => new DomainError(code, 'm')).toThrow(TypeError);
    }
  });
});
