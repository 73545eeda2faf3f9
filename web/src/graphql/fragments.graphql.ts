import { graphql } from '@/gql';

/** Money as every page reads it: exact decimal string, currency, digits and minor units. */
export const MoneyFieldsFragment = graphql(`
  fragment MoneyFields on Money {
    amount
    currency
    digits
    minorUnits
  }
`);
