import { graphql } from '@/gql';

/**
 * Transaction center (seed 002): payin and payout lists with every filter, live rows, the details
 * drawer (sub-payments, timeline, callbacks) and the back-office actions on one transaction.
 */

export const TxPageInfoFragment = graphql(`
  fragment TxPageInfo on PageInfo {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

/** The app a transaction came through (detail drawers). */
export const TxAppRefFragment = graphql(`
  fragment TxAppRef on App {
    id
    appId
    name
  }
`);

/** A newly requested export (both lists' export buttons). */
export const TxExportStartedFragment = graphql(`
  fragment TxExportStarted on Export {
    id
    kind
    status
    createdAt
  }
`);

export const payinListQuery = graphql(`
  query PayinList($after: String, $before: String, $filter: PayinFilter, $first: Int, $last: Int, $sort: PayinSort) {
    payins(first: $first, after: $after, last: $last, before: $before, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        ...TxPageInfo
      }
      nodes {
        ...PayinRowFields
      }
    }
  }
`);

export const payoutListQuery = graphql(`
  query PayoutList($after: String, $before: String, $filter: PayoutFilter, $first: Int, $last: Int, $sort: PayoutSort) {
    payouts(first: $first, after: $after, last: $last, before: $before, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        ...TxPageInfo
      }
      nodes {
        ...PayoutRowFields
      }
    }
  }
`);

/** Channels for the "channel" filter (staff; merchants do not see channels). */
export const channelFilterOptionsQuery = graphql(`
  query ChannelFilterOptions {
    channels(first: 200, sort: { field: CODE, direction: ASC }) {
      nodes {
        id
        code
        name
        currencyCode
      }
    }
  }
`);

export const DeliveryDetailFieldsFragment = graphql(`
  fragment DeliveryDetailFields on Delivery {
    id
    eventId
    eventType
    sequence
    status
    url
    body
    attemptCount
    lastStatusCode
    lastAttemptAt
    nextAttemptAt
    deliveredAt
    createdAt
    attempts {
      id
      attemptNo
      requestedAt
      statusCode
      latencyMs
      error
      responseExcerpt
    }
  }
`);

export const payinDetailQuery = graphql(`
  query PayinDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Payin {
        ...PayinRowFields
        orderType
        description
        attach
        notifyUrl
        returnUrl
        expireAt
        finishedAt
        upstreamRef
        payerName
        payerAccount
        payerPhone
        payerIdNumber
        bankCode
        remarkCode
        chain
        toAddress
        locale
        app {
          ...TxAppRef
        }
        payments {
          id
          txnId
          status
          paidAt
          createdAt
          amount {
            ...MoneyFields
          }
          channel {
            id
            code
          }
        }
        events {
          id
          type
          message
          fromStatus
          toStatus
          actorType
          actorId
          actorName
          createdAt
          data
        }
        deliveries {
          ...DeliveryDetailFields
        }
      }
    }
  }
`);

export const payoutDetailQuery = graphql(`
  query PayoutDetail($id: ID!) {
    node(id: $id) {
      __typename
      ... on Payout {
        ...PayoutRowFields
        description
        attach
        notifyUrl
        submittedAt
        reviewedAt
        upstreamRef
        recipientPhone
        recipientIdNumber
        chain
        app {
          ...TxAppRef
        }
        events {
          id
          type
          message
          fromStatus
          toStatus
          actorType
          actorId
          actorName
          createdAt
          data
        }
        deliveries {
          ...DeliveryDetailFields
        }
      }
    }
  }
`);

export const deliveryChangedSubscription = graphql(`
  subscription TxDeliveryChanged {
    deliveryChanged {
      id
      status
      payin {
        id
      }
      payout {
        id
      }
    }
  }
`);

// ─────────────────────────────── payin actions ───────────────────────────────

export const closePayinMutation = graphql(`
  mutation ClosePayin($id: ID!, $reason: String) {
    closePayin(id: $id, reason: $reason) {
      ...PayinRowFields
    }
  }
`);

export const simulatePayinCallbackMutation = graphql(`
  mutation SimulatePayinCallback($amount: Decimal, $id: ID!, $outcome: SimulatedOutcome!) {
    simulatePayinCallback(id: $id, outcome: $outcome, amount: $amount) {
      ...PayinRowFields
    }
  }
`);

export const overridePayinStatusMutation = graphql(`
  mutation OverridePayinStatus($id: ID!, $reason: String!, $status: ManualStatus!) {
    overridePayinStatus(id: $id, status: $status, reason: $reason) {
      ...PayinRowFields
    }
  }
`);

export const setPayinOriginalityMutation = graphql(`
  mutation SetPayinOriginality($id: ID!, $originality: Originality!, $reason: String!) {
    setPayinOriginality(id: $id, originality: $originality, reason: $reason) {
      ...PayinRowFields
    }
  }
`);

// ─────────────────────────────── payout actions ───────────────────────────────

export const approvePayoutMutation = graphql(`
  mutation ApprovePayout($id: ID!, $note: String) {
    approvePayout(id: $id, note: $note) {
      ...PayoutRowFields
    }
  }
`);

export const rejectPayoutMutation = graphql(`
  mutation RejectPayout($id: ID!, $note: String!) {
    rejectPayout(id: $id, note: $note) {
      ...PayoutRowFields
    }
  }
`);

export const reversePayoutMutation = graphql(`
  mutation ReversePayout($id: ID!, $note: String!) {
    reversePayout(id: $id, note: $note) {
      ...PayoutRowFields
    }
  }
`);

export const overridePayoutStatusMutation = graphql(`
  mutation OverridePayoutStatus($id: ID!, $reason: String!, $status: ManualStatus!) {
    overridePayoutStatus(id: $id, status: $status, reason: $reason) {
      ...PayoutRowFields
    }
  }
`);

export const setPayoutOriginalityMutation = graphql(`
  mutation SetPayoutOriginality($id: ID!, $originality: Originality!, $reason: String!) {
    setPayoutOriginality(id: $id, originality: $originality, reason: $reason) {
      ...PayoutRowFields
    }
  }
`);

export const simulatePayoutCallbackMutation = graphql(`
  mutation SimulatePayoutCallback($id: ID!, $outcome: SimulatedOutcome!) {
    simulatePayoutCallback(id: $id, outcome: $outcome) {
      ...PayoutRowFields
    }
  }
`);

// ─────────────────────────────── callbacks and exports ───────────────────────────────

export const resendDeliveryMutation = graphql(`
  mutation ResendDelivery($id: ID!) {
    resendDelivery(id: $id) {
      ...DeliveryDetailFields
    }
  }
`);

export const createPayinExportMutation = graphql(`
  mutation CreatePayinExport($filter: PayinFilter) {
    createExport(kind: PAYINS, payinFilter: $filter) {
      ...TxExportStarted
    }
  }
`);

export const createPayoutExportMutation = graphql(`
  mutation CreatePayoutExport($filter: PayoutFilter) {
    createExport(kind: PAYOUTS, payoutFilter: $filter) {
      ...TxExportStarted
    }
  }
`);

export const resendPayinNotificationMutation = graphql(`
  mutation ResendPayinNotification($id: ID!) {
    resendPayinNotification(id: $id) {
      ...PayinRowFields
    }
  }
`);

export const resendPayoutNotificationMutation = graphql(`
  mutation ResendPayoutNotification($id: ID!) {
    resendPayoutNotification(id: $id) {
      ...PayoutRowFields
    }
  }
`);
