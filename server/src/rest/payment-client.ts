import type { KeyObject } from 'node:crypto';

/** Who is calling /v1: set on the request by the signature check, read by the route handlers. */
export interface PaymentClient {
  /** Database id of the app. */
  appDbId: string;
  /** Public `app_id`. */
  appId: string;
  merchantId: string;
  mchId: string;
  /** Test apps create test orders. */
  test: boolean;
  payinNotifyUrl: string | null;
  payoutNotifyUrl: string | null;
  /** The platform key responses to this app are signed with. */
  platformKey: { serial: string; privateKey: KeyObject };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on signed /v1 routes once the request is authenticated. */
    paymentClient?: PaymentClient;
    /** The request body exactly as received (signatures cover it). */
    rawBody?: string;
  }
}
