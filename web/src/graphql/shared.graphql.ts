import { graphql } from '@/gql';

/** Merchants for pickers (staff): by name or mch_id. */
export const merchantOptionsQuery = graphql(`
  query MerchantOptions($search: String, $first: Int = 20) {
    merchants(first: $first, filter: { search: $search }, sort: { field: NAME, direction: ASC }) {
      nodes {
        id
        mchId
        name
        status
        timezone
      }
    }
  }
`);

/** The currencies a merchant holds accounts in (the account switch of the header). */
export const accountCurrenciesQuery = graphql(`
  query AccountCurrencies($test: Boolean!) {
    balances(test: $test) {
      currency
    }
  }
`);

/** Currencies and the service catalogue for filters and forms. */
export const catalogOptionsQuery = graphql(`
  query CatalogOptions {
    currencies {
      code
      name
      digits
      crypto
    }
    services(first: 100, sort: { field: CODE, direction: ASC }) {
      nodes {
        id
        code
        name
        direction
        kind
        country
        requiredFields
        currency {
          code
          digits
        }
      }
    }
  }
`);

/** The permission codes roles are built from, with those that only mean something for staff. */
export const permissionCatalogQuery = graphql(`
  query PermissionCatalog {
    permissionCatalog {
      code
      name
      platform
    }
  }
`);
