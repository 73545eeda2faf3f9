/**
 * What the platform announces after a transaction commits, by topic. Subscribers: GraphQL live
 * updates (graphql/subscriptions), the credential caches of other processes (modules/apps), tests.
 * Payloads carry ids and the columns read rules look at (merchant, subject), never whole rows: a
 * subscriber loads what it shows with its own read rule.
 */

/** A payin or payout changed status (a new one's first change is its initial status). */
export interface StatusChanged {
  id: string;
  merchantId: string;
  status: string;
  sequence: number;
}

export interface FundRequestChanged {
  id: string;
  merchantId: string;
  targetMerchantId: string | null;
  kind: string;
  status: string;
}

/** Named like the delivery row's columns: the read rules (CASL conditions) are checked against the event. */
export interface DeliveryChanged {
  id: string;
  merchantId: string;
  orderId: string | null;
  payoutId: string | null;
  fundRequestId: string | null;
  status: string;
}

export interface ExportProgressed {
  id: string;
  userId: string;
  merchantId: string | null;
  status: string;
  processedRows: number;
  totalRows: number | null;
}

/** An app's keys, status or whitelist changed (null: every app); `origin` is the publishing process. */
export interface AppCredentialsChanged {
  appId: string | null;
  origin: string;
}

export type EventTopics = {
  'payin:changed': [StatusChanged];
  'payout:changed': [StatusChanged];
  'fund_request:changed': [FundRequestChanged];
  'delivery:changed': [DeliveryChanged];
  'export:progress': [ExportProgressed];
  'app:credentials': [AppCredentialsChanged];
};

export type Topic = keyof EventTopics;
export type EventOf<T extends Topic> = EventTopics[T][0];
