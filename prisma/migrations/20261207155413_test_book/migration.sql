-- DropIndex
DROP INDEX "ledger_accounts_ownerType_ownerId_currencyCode_kind_key";

-- AlterTable
ALTER TABLE "fund_requests" ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ledger_accounts" ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ledger_transactions" ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "pending_settlements" ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_ownerType_ownerId_currencyCode_kind_test_key" ON "ledger_accounts"("ownerType", "ownerId", "currencyCode", "kind", "test");

-- Test money moves to the test book (issue "Trust"). Until now test orders and payouts posted to the
-- same accounts as live ones, so a test payment could raise a live balance. Every transaction caused by
-- a test order or payout is marked test and its entries move to a test twin of their account; then the
-- balance-after of every entry and the balance of every account touched is recomputed from the entries.
-- Daily statements of the merchants concerned are derived data: they are dropped here and rebuilt by
-- the statements job from the corrected entries. A live account that now shows less than zero held
-- test money that was spent as live money: `npm run ledger:check` reports it as overdrawn.
UPDATE "ledger_transactions" t SET "test" = true
FROM "orders" o
WHERE t."referenceType" = 'ORDER' AND t."referenceId" = o.id::text AND o."test";

UPDATE "ledger_transactions" t SET "test" = true
FROM "payouts" p
WHERE t."referenceType" = 'PAYOUT' AND t."referenceId" = p.id::text AND p."test";

UPDATE "pending_settlements" s SET "test" = true
FROM "orders" o
WHERE s."orderId" = o.id AND o."test";

CREATE TEMPORARY TABLE "_test_book_moves" ON COMMIT DROP AS
SELECT DISTINCT e."accountId" AS live_id
FROM "ledger_entries" e JOIN "ledger_transactions" t ON t.id = e."transactionId"
WHERE t."test";

INSERT INTO "ledger_accounts" (id, "ownerType", "ownerId", "merchantId", "channelId", "currencyCode", kind, balance, "test", "createdAt", "updatedAt")
SELECT gen_random_uuid(), a."ownerType", a."ownerId", a."merchantId", a."channelId", a."currencyCode", a.kind, 0, true, a."createdAt", now()
FROM "ledger_accounts" a JOIN "_test_book_moves" m ON m.live_id = a.id
ON CONFLICT ("ownerType", "ownerId", "currencyCode", kind, "test") DO NOTHING;

UPDATE "ledger_entries" e SET "accountId" = twin.id
FROM "ledger_transactions" t, "ledger_accounts" live, "ledger_accounts" twin
WHERE t.id = e."transactionId" AND t."test"
  AND live.id = e."accountId" AND NOT live."test"
  AND twin."ownerType" = live."ownerType" AND twin."ownerId" = live."ownerId"
  AND twin."currencyCode" = live."currencyCode" AND twin.kind = live.kind AND twin."test";

INSERT INTO "_test_book_moves" (live_id)
SELECT twin.id FROM "ledger_accounts" twin JOIN "ledger_accounts" live
  ON twin."ownerType" = live."ownerType" AND twin."ownerId" = live."ownerId"
 AND twin."currencyCode" = live."currencyCode" AND twin.kind = live.kind AND twin."test" AND NOT live."test"
WHERE live.id IN (SELECT live_id FROM "_test_book_moves");

UPDATE "ledger_entries" e SET "balanceAfter" = r.running
FROM (
  SELECT e2.id, SUM(e2.amount) OVER (PARTITION BY e2."accountId" ORDER BY e2.id) AS running
  FROM "ledger_entries" e2
  WHERE e2."accountId" IN (SELECT live_id FROM "_test_book_moves")
) r
WHERE e.id = r.id;

UPDATE "ledger_accounts" a SET balance = COALESCE((SELECT SUM(e.amount) FROM "ledger_entries" e WHERE e."accountId" = a.id), 0), "updatedAt" = now()
WHERE a.id IN (SELECT live_id FROM "_test_book_moves");

DELETE FROM "daily_statements" s
WHERE s."merchantId" IN (
  SELECT DISTINCT a."merchantId" FROM "ledger_accounts" a
  WHERE a.id IN (SELECT live_id FROM "_test_book_moves") AND a."merchantId" IS NOT NULL
);
