import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../graphql/context.ts';
import { DomainError, isDomainError } from '../lib/errors.ts';
import { decodeUtf8, describeProblem, dirtyProblem, findDirtyInput, isCleanText } from '../lib/text-hygiene.ts';
import { applyUpstreamPaymentInTx } from '../modules/orders/operations/apply-upstream-payment.ts';
import { runOrderTransaction } from '../modules/orders/orders.transition.ts';
import { applyUpstreamPayoutInTx } from '../modules/payouts/operations/apply-upstream-payout.ts';
import { runPayoutTransaction } from '../modules/payouts/payouts.transition.ts';
import { getConnector, hasConnector } from '../modules/routing/connectors/connector.ts';

/**
 * `POST /upstream/:channel/callback` (mounted under /v1): where upstream providers report payments and
 * payout results (the connector's parser says which).
 * Not the merchant API: no envelope, no merchant signature; the connector verifies the provider's own
 * signature over the raw body. Every callback is recorded (UpstreamCallback) with its verdict.
 *
 *   200 {"ok":true}        processed: applied, duplicate or ignored (out of order) — the upstream stops retrying
 *   400 {"ok":false,…}     verified but malformed (unknown event, bad transactions)
 *   401 {"ok":false,…}     signature does not verify (or the channel has no credentials): nothing applied
 *   404 {"ok":false,…}     unknown channel, or an order we do not know
 *   409 {"ok":false,…}     the order belongs to another channel
 *   5xx                    unexpected failure: the upstream should retry
 *
 * A body or channel that is not clean text (bytes that are not UTF-8, NUL, lone surrogates, in a JSON
 * body also nesting deeper than MAX_JSON_DEPTH) is answered like the merchant API's invalid parameters —
 * 400 with the envelope, code 40002 and `data.field` — and is not recorded (PostgreSQL cannot store it).
 */
export async function upstreamRoutes(app: FastifyInstance, opts: { services: AppServices }): Promise<void> {
  const { services } = opts;

  // The signature covers the exact bytes: keep the body as a string in this plugin's scope. Text that
  // is not clean UTF-8 (see cleanCallbackBody) is refused here, before anything is looked up or recorded.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, cleanCallbackBody(typeof body === 'string' ? Buffer.from(body, 'utf8') : body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.post<{ Params: { channel: string } }>('/upstream/:channel/callback', async (request, reply) => {
    const rawBody = typeof request.body === 'string' ? request.body : '';
    if (!isCleanText(request.params.channel)) {
      throw new DomainError('INVALID_PARAMETER', `channel ${describeProblem(dirtyProblem(request.params.channel)!)}`, { field: 'channel' });
    }
    const channel = await services.prisma.channel.findUnique({ where: { code: request.params.channel } });
    if (!channel || !hasConnector(channel.connector)) return reply.status(404).send({ ok: false, error: 'UNKNOWN_CHANNEL' });

    const parsed = await getConnector(channel.connector).parseCallback(
      { db: services.prisma, secrets: services.secrets, config: services.config },
      rawBody,
      request.headers,
      channel,
    );
    const record = (result: string) =>
      services.prisma.upstreamCallback.create({
        data: { channelId: channel.id, eventKey: parsed.eventKey.slice(0, 160), signatureValid: parsed.verified, body: rawBody, result },
      });

    if (!parsed.verified) {
      await record('REJECTED_SIGNATURE');
      request.log.warn({ channel: channel.code, reason: parsed.reason }, 'upstream callback signature rejected');
      return reply.status(401).send({ ok: false, error: 'BAD_SIGNATURE' });
    }
    if (parsed.subject === 'payout') {
      if (!parsed.payoutStatus || !parsed.orderRef) {
        await record('MALFORMED');
        return reply.status(400).send({ ok: false, error: 'MALFORMED', reason: parsed.reason ?? null });
      }
      try {
        await runPayoutTransaction(services, async (tx, changes) => {
          const applied = await applyUpstreamPayoutInTx(tx, changes, {
            channelId: channel.id,
            channelCode: channel.code,
            payoutRef: parsed.orderRef!,
            status: parsed.payoutStatus!,
            reason: parsed.reason ?? null,
            eventKey: parsed.eventKey,
            source: 'callback',
          });
          await tx.upstreamCallback.create({
            data: { channelId: channel.id, eventKey: parsed.eventKey.slice(0, 160), signatureValid: true, body: rawBody, result: applied.outcome },
          });
        });
        return reply.status(200).send({ ok: true });
      } catch (error) {
        if (isDomainError(error, 'PAYOUT_NOT_FOUND')) {
          await record('PAYOUT_NOT_FOUND');
          return reply.status(404).send({ ok: false, error: 'PAYOUT_NOT_FOUND' });
        }
        if (isDomainError(error, 'UPSTREAM_CHANNEL_MISMATCH')) {
          await record('CHANNEL_MISMATCH');
          return reply.status(409).send({ ok: false, error: 'CHANNEL_MISMATCH' });
        }
        await record(isDomainError(error) ? `ERROR_${error.code}`.slice(0, 64) : 'ERROR').catch(() => {});
        throw error;
      }
    }
    if (!parsed.status || !parsed.orderRef) {
      await record('MALFORMED');
      return reply.status(400).send({ ok: false, error: 'MALFORMED', reason: parsed.reason ?? null });
    }

    try {
      const result = await runOrderTransaction(services, async (tx, changes) => {
        const applied = await applyUpstreamPaymentInTx(tx, changes, {
          channelId: channel.id,
          channelCode: channel.code,
          orderRef: parsed.orderRef!,
          status: parsed.status!,
          payments: parsed.payments,
          eventKey: parsed.eventKey,
          reason: parsed.reason ?? null,
        });
        await tx.upstreamCallback.create({
          data: { channelId: channel.id, eventKey: parsed.eventKey.slice(0, 160), signatureValid: true, body: rawBody, result: applied.outcome },
        });
        return applied;
      });
      request.log.debug({ channel: channel.code, outcome: result.outcome }, 'upstream callback processed');
      return reply.status(200).send({ ok: true });
    } catch (error) {
      if (isDomainError(error, 'ORDER_NOT_FOUND')) {
        await record('ORDER_NOT_FOUND');
        return reply.status(404).send({ ok: false, error: 'ORDER_NOT_FOUND' });
      }
      if (isDomainError(error, 'UPSTREAM_CHANNEL_MISMATCH')) {
        await record('CHANNEL_MISMATCH');
        return reply.status(409).send({ ok: false, error: 'CHANNEL_MISMATCH' });
      }
      await record(isDomainError(error) ? `ERROR_${error.code}`.slice(0, 64) : 'ERROR').catch(() => {});
      throw error;
    }
  });
}

/** The callback body as text, or INVALID_PARAMETER naming the field (a JSON body's key path, else `body`) holding dirty text. */
function cleanCallbackBody(bytes: Uint8Array): string {
  const { text, valid } = decodeUtf8(bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // not JSON: the connector decides what it makes of it
  }
  const dirty =
    (parsed !== undefined ? findDirtyInput(parsed) : null) ??
    (valid && isCleanText(text) ? null : { field: 'body', problem: dirtyProblem(text) ?? 'LONE_SURROGATE' });
  if (dirty) throw new DomainError('INVALID_PARAMETER', `${dirty.field} ${describeProblem(dirty.problem)}`, { field: dirty.field });
  return text;
}
