import type { Connector } from '../../src/modules/routing/connectors/connector.ts';
export { registerConnector } from '../../src/modules/routing/connectors/registry.ts';

/** A remote (non-local) connector for tests: answers like an upstream, or fails like one that is down. */
export function sandboxLike(kind: string, opts: { fail: boolean }): Connector {
  return {
    kind,
    local: false,
    async createPayin(_ctx, order) {
      if (opts.fail) throw new Error('connect ECONNREFUSED (simulated upstream outage)');
      return {
        upstreamRef: 'REMOTE-REF',
        instructions: { type: 'bank', bankName: 'Remote', accountName: 'R', accountNumber: '1', reference: order.orderNo, amount: '0', currency: order.currency },
      };
    },
    async queryPayin() {
      return { status: 'PENDING', payments: [] };
    },
    async parseCallback(_ctx, rawBody) {
      return { verified: false, eventKey: rawBody.slice(0, 32), orderRef: null, status: null, payments: [] };
    },
  };
}
