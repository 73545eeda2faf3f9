import { DomainError } from '../../lib/errors.ts';

/**
 * Expected failures of the configuration back office (merchants, services, channels, bindings,
 * merchant services, risk rules, FX rates). Codes are stable; the GraphQL layer passes them through as
 * `extensions.code` with the details (always `field` when one input field is to blame).
 *
 *   INVALID_PARAMETER        an input field is malformed or out of range           { field }
 *   INVALID_AMOUNT           a money field does not parse in its currency           { field, reason, digits? }
 *   CURRENCY_NOT_SUPPORTED   unknown or disabled currency                          { field, currency }
 *   CURRENCY_MISMATCH        a channel and a service in different currencies        { field, channelCurrency, serviceCurrency }
 *   DUPLICATE                a unique key is taken (mch_id, service/channel code, binding, activation, FX pair) { entity, field }
 *   IN_USE                   the change would reinterpret rows that already use the entity { entity, field }
 *   INVALID_TRANSITION       e.g. re-opening a CLOSED merchant                      { from, to }
 *   <ENTITY>_NOT_FOUND       MERCHANT_NOT_FOUND, SERVICE_NOT_FOUND, CHANNEL_NOT_FOUND, CHANNEL_SERVICE_NOT_FOUND,
 *                            MERCHANT_SERVICE_NOT_FOUND, RISK_RULE_NOT_FOUND, FX_RATE_NOT_FOUND
 *
 * Messages never contain the value of a credential.
 */

export class InvalidParameterError extends DomainError {
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('INVALID_PARAMETER', `${field}: ${message}`, { field, ...details });
  }
}

export class InvalidAmountError extends DomainError {
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('INVALID_AMOUNT', `${field}: ${message}`, { field, ...details });
  }
}

export class CurrencyNotSupportedError extends DomainError {
  constructor(field: string, currency: string) {
    super('CURRENCY_NOT_SUPPORTED', `${field}: currency ${currency} is unknown or disabled`, { field, currency });
  }
}

export class CurrencyMismatchError extends DomainError {
  constructor(field: string, channelCurrency: string, serviceCurrency: string) {
    super('CURRENCY_MISMATCH', `the channel is in ${channelCurrency}, the service in ${serviceCurrency}`, { field, channelCurrency, serviceCurrency });
  }
}

export type ConfigEntity = 'Merchant' | 'Service' | 'Channel' | 'ChannelService' | 'MerchantService' | 'RiskRule' | 'FxRate';

const ENTITY_WORDS: Record<ConfigEntity, string> = {
  Merchant: 'merchant',
  Service: 'service',
  Channel: 'channel',
  ChannelService: 'channel service',
  MerchantService: 'merchant service',
  RiskRule: 'risk rule',
  FxRate: 'fx rate',
};

export class DuplicateError extends DomainError {
  constructor(entity: ConfigEntity, field: string, message: string) {
    super('DUPLICATE', message, { entity, field });
  }
}

export class InUseError extends DomainError {
  constructor(entity: ConfigEntity, field: string, message: string) {
    super('IN_USE', message, { entity, field });
  }
}

export class ConfigNotFoundError extends DomainError {
  /** `field` null: no details (a row the caller named by its own id, looked up before anything else). */
  constructor(entity: ConfigEntity, field: string | null = 'id') {
    const words = ENTITY_WORDS[entity];
    super(`${words.toUpperCase().replace(/ /g, '_')}_NOT_FOUND`, `${words} not found`, field === null ? undefined : { field });
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(entity: ConfigEntity, from: string, to: string, message: string) {
    super('INVALID_TRANSITION', message, { entity, from, to });
  }
}

/** Prisma's unique-constraint violation (P2002), thrown by a create/update that lost a race. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}

/** Prisma's "record to update/delete does not exist" (P2025). */
export function isRecordMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2025';
}
