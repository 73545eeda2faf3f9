import { graphql } from '@/gql';

/**
 * A payin or payout row as every list of them reads it (the transaction lists, the dashboard's newest
 * rows), and the subscriptions that keep those rows current.
 */

/** What both rows name of their merchant, service and channel (one definition for payins and payouts). */
export const TxMerchantRefFragment = graphql(`
  fragment TxMerchantRef on Merchant {
    id
    mchId
    name
  }
`);

export const TxServiceRefFragment = graphql(`
  fragment TxServiceRef on Service {
    id
    code
    name
  }
`);

export const TxChannelRefFragment = graphql(`
  fragment TxChannelRef on Channel {
    id
    code
    name
  }
`);

export const PayinRowFieldsFragment = graphql(`
  fragment PayinRowFields on Payin {
    id
    orderNo
    outTradeNo
    prepayId
    userLabel
    status
    postbackStatus
    accumulationStatus
    creationType
    originality
    test
    sequence
    currencyCode
    createdAt
    paidAt
    updatedAt
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
      ...TxMerchantRef
    }
    service {
      ...TxServiceRef
    }
    channel {
      ...TxChannelRef
    }
  }
`);

export const PayoutRowFieldsFragment = graphql(`
  fragment PayoutRowFields on Payout {
    id
    payoutNo
    outTradeNo
    userLabel
    status
    postbackStatus
    creationType
    originality
    test
    sequence
    currencyCode
    createdAt
    finishedAt
    updatedAt
    recipientName
    recipientAccount
    bankCode
    failureReason
    reviewNote
    amount {
      ...MoneyFields
    }
    fee {
      ...MoneyFields
    }
    merchant {
      ...TxMerchantRef
    }
    service {
      ...TxServiceRef
    }
    channel {
      ...TxChannelRef
    }
  }
`);

// ─────────────────────────────── live rows ───────────────────────────────

export const payinChangedSubscription = graphql(`
  subscription PayinChanged($merchantIds: [ID!]) {
    payinChanged(merchantIds: $merchantIds) {
      ...PayinRowFields
    }
  }
`);

export const payoutChangedSubscription = graphql(`
  subscription PayoutChanged($merchantIds: [ID!]) {
    payoutChanged(merchantIds: $merchantIds) {
      ...PayoutRowFields
    }
  }
`);
