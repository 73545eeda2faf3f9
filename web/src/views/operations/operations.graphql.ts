import { graphql } from '@/gql';

/** Operations (seed 001): test order creation with the available range, and the order query. */

export const operationServicesQuery = graphql(`
  query OperationsMerchantServices($filter: MerchantServiceFilter) {
    merchantServices(first: 100, filter: $filter) {
      nodes {
        id
        status
        singleLimitLower {
          ...MoneyFields
        }
        singleLimitUpper {
          ...MoneyFields
        }
        service {
          id
          code
          name
          direction
          kind
          country
          chain
          status
          requiredFields
          currency {
            code
            digits
          }
        }
      }
    }
  }
`);

export const RangeFieldsFragment = graphql(`
  fragment OperationsRangeFields on ChannelRange {
    channelId
    channelCode
    empty
    text
    minDecidedBy
    maxDecidedBy
    min {
      ...MoneyFields
    }
    max {
      ...MoneyFields
    }
    channel {
      id
      name
      status
      balance {
        ...MoneyFields
      }
    }
  }
`);

export const availableRangeQuery = graphql(`
  query OperationsAvailableRange($channelId: ID, $merchantId: ID, $serviceCode: String!) {
    availableRange(merchantId: $merchantId, serviceCode: $serviceCode, channelId: $channelId) {
      currency
      enabled
      empty
      text
      minDecidedBy
      maxDecidedBy
      min {
        ...MoneyFields
      }
      max {
        ...MoneyFields
      }
      channels {
        ...OperationsRangeFields
      }
    }
  }
`);

export const createTestPayinMutation = graphql(`
  mutation OperationsCreateTestPayin($input: CreateTestPayinInput!) {
    createTestPayin(input: $input) {
      paymentUrl
      payin {
        id
        orderNo
        outTradeNo
        status
        test
        amount {
          ...MoneyFields
        }
        fee {
          ...MoneyFields
        }
        service {
          code
          name
        }
        channel {
          id
          code
        }
      }
    }
  }
`);

export const createTestPayoutMutation = graphql(`
  mutation OperationsCreateTestPayout($input: CreateTestPayoutInput!) {
    createTestPayout(input: $input) {
      id
      payoutNo
      outTradeNo
      status
      test
      failureReason
      amount {
        ...MoneyFields
      }
      fee {
        ...MoneyFields
      }
      service {
        code
        name
      }
      channel {
        id
        code
      }
    }
  }
`);

export const payinLookupQuery = graphql(`
  query OperationsPayinLookup($filter: PayinFilter) {
    payins(first: 20, filter: $filter) {
      nodes {
        id
        orderNo
        outTradeNo
        status
        test
        postbackStatus
        createdAt
        finishedAt
        amount {
          ...MoneyFields
        }
        paidAmount {
          ...MoneyFields
        }
        fee {
          ...MoneyFields
        }
        merchant {
          id
          name
          mchId
        }
        service {
          code
          name
        }
        channel {
          code
        }
      }
    }
  }
`);

export const payoutLookupQuery = graphql(`
  query OperationsPayoutLookup($filter: PayoutFilter) {
    payouts(first: 20, filter: $filter) {
      nodes {
        id
        payoutNo
        outTradeNo
        status
        test
        postbackStatus
        createdAt
        finishedAt
        failureReason
        amount {
          ...MoneyFields
        }
        fee {
          ...MoneyFields
        }
        merchant {
          id
          name
          mchId
        }
        service {
          code
          name
        }
        channel {
          code
        }
      }
    }
  }
`);
