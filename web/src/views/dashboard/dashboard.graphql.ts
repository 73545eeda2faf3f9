import { graphql } from '@/gql';

export const DashboardStatFieldsFragment = graphql(`
  fragment DashboardDayFields on DashboardDay {
    day
    currency
    count
    successCount
    successRate
    amount {
      ...MoneyFields
    }
    successAmount {
      ...MoneyFields
    }
    amountDisplay {
      ...MoneyFields
    }
    successAmountDisplay {
      ...MoneyFields
    }
    fee {
      ...MoneyFields
    }
  }
`);

export const DashboardTotalFieldsFragment = graphql(`
  fragment DashboardTotalFields on DashboardTotal {
    currency
    count
    successCount
    successRate
    amount {
      ...MoneyFields
    }
    successAmount {
      ...MoneyFields
    }
    amountDisplay {
      ...MoneyFields
    }
    successAmountDisplay {
      ...MoneyFields
    }
    fee {
      ...MoneyFields
    }
  }
`);

export const dashboardQuery = graphql(`
  query Dashboard($filter: DashboardFilter!) {
    dashboard(filter: $filter) {
      from
      to
      timezone
      groupBy
      displayCurrency
      payins {
        days {
          ...DashboardDayFields
        }
        totals {
          ...DashboardTotalFields
        }
      }
      payouts {
        days {
          ...DashboardDayFields
        }
        totals {
          ...DashboardTotalFields
        }
      }
    }
  }
`);

export const balancesQuery = graphql(`
  query Balances($merchantId: ID, $currency: String) {
    balances(merchantId: $merchantId, currency: $currency) {
      currency
      merchant {
        id
        name
        mchId
      }
      available {
        ...MoneyFields
      }
      pending {
        ...MoneyFields
      }
      frozen {
        ...MoneyFields
      }
      total {
        ...MoneyFields
      }
    }
  }
`);
