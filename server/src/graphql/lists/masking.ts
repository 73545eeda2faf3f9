/**
 * The masking rules of sensitive numbers live with the ability in modules/auth/masking.ts (exports
 * apply them too); the GraphQL types import them from here until each domain folder imports them there.
 */
export {
  assertMaskedFilterAllowed,
  canReadSensitive,
  canUnmaskAll,
  MASKED_FIELDS,
  MASKED_FILTER_FIELDS,
  maskedFieldFilter,
  maskValue,
  READ_SENSITIVE,
  sensitive,
} from '../../modules/auth/masking.ts';
