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
  query Balances($merchantId: ID, $currency: String, $test: Boolean!) {
    balances(merchantId: $merchantId, currency: $currency, test: $test) {
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

/**
 * What needs attention now (seed 004 "system health status"): counts over what the viewer may read, null
 * where they may not read that kind; `platform` for staff only.
 */
export const dashboardAttentionQuery = graphql(`
  query DashboardAttention($merchantIds: [ID!], $test: Boolean!) {
    operationsHealth(merchantIds: $merchantIds, test: $test) {
      checkedAt
      payoutsInReview
      payoutsStuck
      payinsStuck
      callbacksRetrying
      callbacksFailed24h
      fundRequestsWaiting
      platform {
        database
        redisConfigured
        redis
        jobQueue
        jobsReady
        jobsOverdue
        jobsFailed
      }
    }
  }
`);

/**
 * The newest payins and payouts (seed 004 "recent transactions"), as the lists' rows so that the lists'
 * live subscriptions (`PayinChanged` / `PayoutChanged`) keep them current.
 */
export const dashboardRecentPayinsQuery = graphql(`
  query DashboardRecentPayins($merchantIds: [ID!], $test: Boolean!) {
    payins(first: 8, filter: { merchantIds: $merchantIds, test: $test }, sort: { field: CREATED_AT, direction: DESC }) {
      nodes {
        ...PayinRowFields
      }
    }
  }
`);

export const dashboardRecentPayoutsQuery = graphql(`
  query DashboardRecentPayouts($merchantIds: [ID!], $test: Boolean!) {
    payouts(first: 8, filter: { merchantIds: $merchantIds, test: $test }, sort: { field: CREATED_AT, direction: DESC }) {
      nodes {
        ...PayoutRowFields
      }
    }
  }
`);
