import { graphql } from '@/gql';

/** Financial center (seed 000): balances, fund requests, destinations, review, adjustments, statements. */

export const FundRequestFieldsFragment = graphql(`
  fragment FundRequestFields on FundRequest {
    id
    requestNo
    kind
    status
    test
    currencyCode
    amount {
      ...MoneyFields
    }
    fee {
      ...MoneyFields
    }
    note
    reference
    reviewNote
    reviewedAt
    createdAt
    targetMchId
    targetMerchant {
      id
      name
      mchId
    }
    merchant {
      id
      name
      mchId
    }
    counterparty {
      name
      mchId
    }
    destination {
      id
      kind
      label
      bankName
      accountName
      accountNumber
      chain
      address
      currencyCode
    }
  }
`);

export const DestinationFieldsFragment = graphql(`
  fragment DestinationFields on MerchantDestination {
    id
    kind
    label
    currencyCode
    bankName
    accountName
    accountNumber
    chain
    address
    createdAt
  }
`);

export const financeBalancesQuery = graphql(`
  query FinanceBalances($currency: String, $merchantId: ID, $test: Boolean!) {
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

export const fundRequestsQuery = graphql(`
  query FinanceFundRequests($after: String, $before: String, $filter: FundRequestFilter, $first: Int, $last: Int, $sort: FundRequestSort) {
    fundRequests(filter: $filter, sort: $sort, first: $first, last: $last, after: $after, before: $before) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        ...FundRequestFields
      }
    }
  }
`);

export const merchantDestinationsQuery = graphql(`
  query FinanceDestinations($ids: [ID!]) {
    merchants(first: 1, filter: { ids: $ids }) {
      nodes {
        id
        name
        mchId
        destinations {
          ...DestinationFields
        }
      }
    }
  }
`);

export const createRechargeMutation = graphql(`
  mutation FinanceCreateRecharge($input: CreateRechargeInput!) {
    createRecharge(input: $input) {
      ...FundRequestFields
    }
  }
`);

export const createWithdrawalMutation = graphql(`
  mutation FinanceCreateWithdrawal($input: CreateWithdrawalInput!) {
    createWithdrawal(input: $input) {
      ...FundRequestFields
    }
  }
`);

export const createTransferMutation = graphql(`
  mutation FinanceCreateTransfer($input: CreateTransferInput!) {
    createTransfer(input: $input) {
      ...FundRequestFields
    }
  }
`);

export const cancelFundRequestMutation = graphql(`
  mutation FinanceCancelFundRequest($id: ID!, $note: String) {
    cancelFundRequest(id: $id, note: $note) {
      ...FundRequestFields
    }
  }
`);

export const approveFundRequestMutation = graphql(`
  mutation FinanceApproveFundRequest($id: ID!, $note: String) {
    approveFundRequest(id: $id, note: $note) {
      ...FundRequestFields
    }
  }
`);

export const rejectFundRequestMutation = graphql(`
  mutation FinanceRejectFundRequest($id: ID!, $note: String!) {
    rejectFundRequest(id: $id, note: $note) {
      ...FundRequestFields
    }
  }
`);

export const createDestinationMutation = graphql(`
  mutation FinanceCreateDestination($input: CreateDestinationInput!) {
    createDestination(input: $input) {
      ...DestinationFields
    }
  }
`);

export const deleteDestinationMutation = graphql(`
  mutation FinanceDeleteDestination($id: ID!) {
    deleteDestination(id: $id)
  }
`);

export const adjustBalanceMutation = graphql(`
  mutation FinanceAdjustBalance($amount: Decimal!, $currency: String!, $idempotencyKey: String, $merchantId: ID!, $reason: String!, $test: Boolean!) {
    adjustBalance(merchantId: $merchantId, currency: $currency, amount: $amount, reason: $reason, idempotencyKey: $idempotencyKey, test: $test) {
      transactionId
      replayed
      amount {
        ...MoneyFields
      }
      availableBalance {
        ...MoneyFields
      }
    }
  }
`);

export const statementsQuery = graphql(`
  query FinanceStatements($after: String, $before: String, $filter: StatementFilter, $first: Int, $last: Int) {
    statements(filter: $filter, first: $first, last: $last, after: $after, before: $before, sort: { field: DATE, direction: DESC }) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      nodes {
        id
        date
        timezone
        currencyCode
        inCount
        outCount
        merchant {
          id
          name
          mchId
        }
        account {
          id
          kind
          test
        }
        opening {
          ...MoneyFields
        }
        inflow {
          ...MoneyFields
        }
        outflow {
          ...MoneyFields
        }
        fees {
          ...MoneyFields
        }
        closing {
          ...MoneyFields
        }
      }
    }
  }
`);

export const ledgerEntriesQuery = graphql(`
  query FinanceLedgerEntries($after: String, $filter: LedgerEntryFilter, $first: Int) {
    ledgerEntries(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        createdAt
        side
        amount {
          ...MoneyFields
        }
        balanceAfter {
          ...MoneyFields
        }
        transaction {
          id
          kind
          description
          referenceType
          referenceId
          referenceNumber
        }
      }
    }
  }
`);
