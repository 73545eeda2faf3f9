import type { FastifyInstance } from 'fastify';
import type { AppServices } from '../services.ts';
import { DomainError, isDomainError } from '../lib/errors.ts';
import { decodeUtf8, describeProblem, dirtyProblem, findDirtyInput, isCleanText } from '../lib/text-hygiene.ts';
import { getConnector, hasConnector } from '../modules/routing/connectors/registry.ts';
import { applyRecordedCallback, markCallbackResult, recordReceivedCallback, type UpstreamCallbackIntent } from '../modules/routing/upstream-callbacks.ts';

/**
 * `POST /upstream/:channel/callback` (mounted under /v1): where upstream providers report payments and
 * payout results (the connector's parser says which).
 * Not the merchant API: no envelope, no merchant signature; the connector verifies the provider's own
 * signature over the raw body. Every callback is recorded (UpstreamCallback) with its verdict; a verified
 * one is committed (RECEIVED) before it is applied, so an answer of 200 always stands for a recorded
 * callback that is applied now or, after a crash, by the janitor.
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
    let intent: UpstreamCallbackIntent;
    if (parsed.subject === 'payout') {
      if (!parsed.payoutStatus || !parsed.orderRef) {
        await record('MALFORMED');
        return reply.status(400).send({ ok: false, error: 'MALFORMED', reason: parsed.reason ?? null });
      }
      intent = { subject: 'payout', payoutRef: parsed.orderRef, status: parsed.payoutStatus, reason: parsed.reason ?? null, eventKey: parsed.eventKey };
    } else {
      if (!parsed.status || !parsed.orderRef) {
        await record('MALFORMED');
        return reply.status(400).send({ ok: false, error: 'MALFORMED', reason: parsed.reason ?? null });
      }
      intent = {
        subject: 'payin',
        orderRef: parsed.orderRef,
        status: parsed.status,
        payments: parsed.payments.map((p) => ({ txnId: p.txnId, amount: p.amount.toString(), paidAt: p.paidAt.toISOString() })),
        reason: parsed.reason ?? null,
        eventKey: parsed.eventKey,
      };
    }

    // Durable before anything is applied or acknowledged: should this process die from here on, the
    // janitor applies the recorded callback (modules/routing/upstream-callbacks.ts).
    const callbackId = await recordReceivedCallback(services.prisma, { channelId: channel.id, eventKey: parsed.eventKey, body: rawBody, intent });
    try {
      const outcome = await applyRecordedCallback(services, callbackId);
      request.log.debug({ channel: channel.code, outcome }, 'upstream callback processed');
      return reply.status(200).send({ ok: true });
    } catch (error) {
      if (isDomainError(error, 'ORDER_NOT_FOUND') || isDomainError(error, 'PAYOUT_NOT_FOUND')) {
        await markCallbackResult(services.prisma, callbackId, error.code);
        return reply.status(404).send({ ok: false, error: error.code });
      }
      if (isDomainError(error, 'UPSTREAM_CHANNEL_MISMATCH')) {
        await markCallbackResult(services.prisma, callbackId, 'CHANNEL_MISMATCH');
        return reply.status(409).send({ ok: false, error: 'CHANNEL_MISMATCH' });
      }
      // Not acknowledged (5xx): the upstream retries. Marked, so the janitor does not apply it too.
      await markCallbackResult(services.prisma, callbackId, isDomainError(error) ? `ERROR_${error.code}` : 'ERROR').catch(() => {});
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
