-- CreateEnum
CREATE TYPE "MerchantStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'CLOSED');

-- CreateEnum
CREATE TYPE "UserStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "RoleScope" AS ENUM ('GLOBAL', 'MERCHANT');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('USER', 'API_TOKEN', 'APP', 'SYSTEM', 'UPSTREAM');

-- CreateEnum
CREATE TYPE "Direction" AS ENUM ('PAYIN', 'PAYOUT');

-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('BANK_CARD', 'BANK_TRANSFER', 'E_WALLET', 'QR', 'PIX', 'CRYPTO');

-- CreateEnum
CREATE TYPE "EnableStatus" AS ENUM ('ENABLED', 'DISABLED');

-- CreateEnum
CREATE TYPE "KeyStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CLOSED', 'REVERSED');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('PENDING', 'REVIEW', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REJECTED', 'REVERSED');

-- CreateEnum
CREATE TYPE "OrderType" AS ENUM ('PLATFORM_ORDER', 'MERCHANT_ORDER');

-- CreateEnum
CREATE TYPE "CreationType" AS ENUM ('AUTO', 'MANUAL');

-- CreateEnum
CREATE TYPE "Originality" AS ENUM ('NORMAL', 'FRAUD');

-- CreateEnum
CREATE TYPE "PostbackStatus" AS ENUM ('NOT_SENT', 'PENDING', 'SENT', 'ERROR');

-- CreateEnum
CREATE TYPE "AccumulationStatus" AS ENUM ('NOT_FOUND', 'IN_PROGRESS', 'COMPLETED');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('SUCCEEDED', 'REVERSED');

-- CreateEnum
CREATE TYPE "LedgerOwnerType" AS ENUM ('MERCHANT', 'CHANNEL', 'PLATFORM');

-- CreateEnum
CREATE TYPE "LedgerAccountKind" AS ENUM ('AVAILABLE', 'PENDING', 'FROZEN', 'BALANCE', 'FEES', 'CLEARING', 'ADJUSTMENT');

-- CreateEnum
CREATE TYPE "FundRequestKind" AS ENUM ('RECHARGE', 'WITHDRAWAL', 'TRANSFER');

-- CreateEnum
CREATE TYPE "FundRequestStatus" AS ENUM ('NEW', 'APPROVED', 'REJECTED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "DestinationKind" AS ENUM ('BANK', 'CRYPTO');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');

-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "RiskAction" AS ENUM ('REVIEW', 'REJECT');

-- CreateTable
CREATE TABLE "merchants" (
    "id" UUID NOT NULL,
    "mchId" VARCHAR(10) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "status" "MerchantStatus" NOT NULL DEFAULT 'ACTIVE',
    "country" VARCHAR(2),
    "timezone" VARCHAR(64) NOT NULL DEFAULT 'UTC',
    "contactEmail" VARCHAR(320),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "merchants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "status" "UserStatus" NOT NULL DEFAULT 'ACTIVE',
    "merchantId" UUID,
    "locale" VARCHAR(10) NOT NULL DEFAULT 'en',
    "timezone" VARCHAR(64) NOT NULL DEFAULT 'UTC',
    "totpSecretEnc" TEXT,
    "totpEnabled" BOOLEAN NOT NULL DEFAULT false,
    "failedLoginCount" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "lastLoginAt" TIMESTAMPTZ(3),
    "passwordChangedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "roles" (
    "id" UUID NOT NULL,
    "key" VARCHAR(64),
    "name" VARCHAR(100) NOT NULL,
    "description" TEXT,
    "scope" "RoleScope" NOT NULL,
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "merchantId" UUID,
    "permissions" INTEGER[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_roles" (
    "userId" UUID NOT NULL,
    "roleId" UUID NOT NULL,

    CONSTRAINT "user_roles_pkey" PRIMARY KEY ("userId","roleId")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" VARCHAR(64) NOT NULL,
    "userId" UUID NOT NULL,
    "mfaVerified" BOOLEAN NOT NULL DEFAULT false,
    "ip" VARCHAR(64),
    "userAgent" VARCHAR(512),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_attempts" (
    "id" BIGSERIAL NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "userId" UUID,
    "ip" VARCHAR(64),
    "success" BOOLEAN NOT NULL,
    "reason" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "tokenHash" VARCHAR(64) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "permissions" INTEGER[],
    "createdById" UUID,
    "lastUsedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_logs" (
    "id" BIGSERIAL NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorId" VARCHAR(64),
    "actorLabel" VARCHAR(320),
    "merchantId" UUID,
    "ip" VARCHAR(64),
    "action" VARCHAR(100) NOT NULL,
    "entityType" VARCHAR(64),
    "entityId" VARCHAR(64),
    "before" JSONB,
    "after" JSONB,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_logs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "apps" (
    "id" UUID NOT NULL,
    "appId" VARCHAR(64) NOT NULL,
    "merchantId" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "test" BOOLEAN NOT NULL DEFAULT false,
    "payinNotifyUrl" VARCHAR(1024),
    "payoutNotifyUrl" VARCHAR(1024),
    "ipWhitelist" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "apps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merchant_keys" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "status" "KeyStatus" NOT NULL DEFAULT 'ACTIVE',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "merchant_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_keys" (
    "id" UUID NOT NULL,
    "appId" UUID NOT NULL,
    "serial" VARCHAR(64) NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "privateKeyEnc" TEXT NOT NULL,
    "status" "KeyStatus" NOT NULL DEFAULT 'ACTIVE',
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_nonces" (
    "appId" VARCHAR(64) NOT NULL,
    "nonce" VARCHAR(64) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "api_nonces_pkey" PRIMARY KEY ("appId","nonce")
);

-- CreateTable
CREATE TABLE "currencies" (
    "code" VARCHAR(10) NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "digits" INTEGER NOT NULL,
    "crypto" BOOLEAN NOT NULL DEFAULT false,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "currencies_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "services" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "direction" "Direction" NOT NULL,
    "kind" "ServiceKind" NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "chain" VARCHAR(32),
    "country" VARCHAR(2),
    "requiredFields" TEXT[],
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merchant_services" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "singleLimitLower" BIGINT NOT NULL DEFAULT 0,
    "singleLimitUpper" BIGINT NOT NULL DEFAULT 0,
    "feeRatePpm" BIGINT NOT NULL DEFAULT 0,
    "feeFixed" BIGINT NOT NULL DEFAULT 0,
    "settlementDays" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "merchant_services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channels" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "connector" VARCHAR(32) NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "credentialsEnc" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "paymentLowerBound" BIGINT NOT NULL DEFAULT 0,
    "paymentUpperBound" BIGINT NOT NULL DEFAULT 0,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_services" (
    "id" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "serviceId" UUID NOT NULL,
    "lowerBound" BIGINT NOT NULL DEFAULT 0,
    "upperBound" BIGINT NOT NULL DEFAULT 0,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "weight" INTEGER NOT NULL DEFAULT 100,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "channel_services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "orderNo" VARCHAR(32) NOT NULL,
    "prepayId" VARCHAR(64) NOT NULL,
    "merchantId" UUID NOT NULL,
    "appId" UUID,
    "serviceId" UUID NOT NULL,
    "channelId" UUID,
    "outTradeNo" VARCHAR(64) NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING',
    "sequence" INTEGER NOT NULL DEFAULT 1,
    "currencyCode" VARCHAR(10) NOT NULL,
    "chain" VARCHAR(32),
    "amount" BIGINT NOT NULL,
    "paidAmount" BIGINT NOT NULL DEFAULT 0,
    "fee" BIGINT NOT NULL DEFAULT 0,
    "orderType" "OrderType" NOT NULL DEFAULT 'PLATFORM_ORDER',
    "description" VARCHAR(256),
    "attach" VARCHAR(512),
    "locale" VARCHAR(10) NOT NULL DEFAULT 'en',
    "notifyUrl" VARCHAR(1024),
    "returnUrl" VARCHAR(1024),
    "toAddress" VARCHAR(128),
    "userLabel" VARCHAR(128),
    "payerName" VARCHAR(128),
    "payerAccount" VARCHAR(64),
    "bankCode" VARCHAR(32),
    "payerPhone" VARCHAR(32),
    "payerIdNumber" VARCHAR(64),
    "remarkCode" VARCHAR(32),
    "instructions" JSONB,
    "upstreamRef" VARCHAR(128),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "creationType" "CreationType" NOT NULL DEFAULT 'AUTO',
    "originality" "Originality" NOT NULL DEFAULT 'NORMAL',
    "postbackStatus" "PostbackStatus" NOT NULL DEFAULT 'NOT_SENT',
    "accumulationStatus" "AccumulationStatus" NOT NULL DEFAULT 'NOT_FOUND',
    "requestHash" VARCHAR(64) NOT NULL,
    "createdById" UUID,
    "expireAt" TIMESTAMPTZ(3) NOT NULL,
    "paidAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "txnId" VARCHAR(128) NOT NULL,
    "amount" BIGINT NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'SUCCEEDED',
    "paidAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_events" (
    "id" BIGSERIAL NOT NULL,
    "orderId" UUID NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "fromStatus" "OrderStatus",
    "toStatus" "OrderStatus",
    "message" TEXT,
    "data" JSONB,
    "actorType" "ActorType" NOT NULL,
    "actorId" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payouts" (
    "id" UUID NOT NULL,
    "payoutNo" VARCHAR(32) NOT NULL,
    "merchantId" UUID NOT NULL,
    "appId" UUID,
    "serviceId" UUID NOT NULL,
    "channelId" UUID,
    "outTradeNo" VARCHAR(64) NOT NULL,
    "status" "PayoutStatus" NOT NULL DEFAULT 'PENDING',
    "sequence" INTEGER NOT NULL DEFAULT 1,
    "currencyCode" VARCHAR(10) NOT NULL,
    "chain" VARCHAR(32),
    "amount" BIGINT NOT NULL,
    "fee" BIGINT NOT NULL DEFAULT 0,
    "recipientName" VARCHAR(128),
    "recipientAccount" VARCHAR(128),
    "bankCode" VARCHAR(32),
    "recipientPhone" VARCHAR(32),
    "recipientIdNumber" VARCHAR(64),
    "description" VARCHAR(256),
    "attach" VARCHAR(512),
    "notifyUrl" VARCHAR(1024),
    "userLabel" VARCHAR(128),
    "upstreamRef" VARCHAR(128),
    "failureReason" TEXT,
    "reviewNote" TEXT,
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMPTZ(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "creationType" "CreationType" NOT NULL DEFAULT 'AUTO',
    "originality" "Originality" NOT NULL DEFAULT 'NORMAL',
    "postbackStatus" "PostbackStatus" NOT NULL DEFAULT 'NOT_SENT',
    "requestHash" VARCHAR(64) NOT NULL,
    "createdById" UUID,
    "submittedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payouts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_events" (
    "id" BIGSERIAL NOT NULL,
    "payoutId" UUID NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "fromStatus" "PayoutStatus",
    "toStatus" "PayoutStatus",
    "message" TEXT,
    "data" JSONB,
    "actorType" "ActorType" NOT NULL,
    "actorId" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upstream_callbacks" (
    "id" UUID NOT NULL,
    "channelId" UUID NOT NULL,
    "eventKey" VARCHAR(160) NOT NULL,
    "signatureValid" BOOLEAN NOT NULL,
    "body" TEXT NOT NULL,
    "result" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upstream_callbacks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_accounts" (
    "id" UUID NOT NULL,
    "ownerType" "LedgerOwnerType" NOT NULL,
    "ownerId" VARCHAR(64) NOT NULL,
    "merchantId" UUID,
    "channelId" UUID,
    "currencyCode" VARCHAR(10) NOT NULL,
    "kind" "LedgerAccountKind" NOT NULL,
    "balance" BIGINT NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ledger_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transactions" (
    "id" UUID NOT NULL,
    "kind" VARCHAR(64) NOT NULL,
    "referenceType" VARCHAR(32),
    "referenceId" VARCHAR(64),
    "idempotencyKey" VARCHAR(160) NOT NULL,
    "description" TEXT,
    "actorType" "ActorType" NOT NULL DEFAULT 'SYSTEM',
    "actorId" VARCHAR(64),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "transactionId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "amount" BIGINT NOT NULL,
    "balanceAfter" BIGINT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "daily_statements" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "date" DATE NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "opening" BIGINT NOT NULL,
    "inflow" BIGINT NOT NULL,
    "outflow" BIGINT NOT NULL,
    "fees" BIGINT NOT NULL,
    "closing" BIGINT NOT NULL,
    "inCount" INTEGER NOT NULL,
    "outCount" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "daily_statements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pending_settlements" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "orderId" UUID NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "amount" BIGINT NOT NULL,
    "releaseAt" TIMESTAMPTZ(3) NOT NULL,
    "releasedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pending_settlements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merchant_destinations" (
    "id" UUID NOT NULL,
    "merchantId" UUID NOT NULL,
    "kind" "DestinationKind" NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "currencyCode" VARCHAR(10) NOT NULL,
    "bankName" VARCHAR(128),
    "accountName" VARCHAR(128),
    "accountNumber" VARCHAR(64),
    "chain" VARCHAR(32),
    "address" VARCHAR(128),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "merchant_destinations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fund_requests" (
    "id" UUID NOT NULL,
    "requestNo" VARCHAR(32) NOT NULL,
    "merchantId" UUID NOT NULL,
    "kind" "FundRequestKind" NOT NULL,
    "status" "FundRequestStatus" NOT NULL DEFAULT 'NEW',
    "currencyCode" VARCHAR(10) NOT NULL,
    "amount" BIGINT NOT NULL,
    "fee" BIGINT NOT NULL DEFAULT 0,
    "targetMerchantId" UUID,
    "destinationId" UUID,
    "reference" VARCHAR(128),
    "note" TEXT,
    "reviewNote" TEXT,
    "createdById" UUID,
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fund_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deliveries" (
    "id" UUID NOT NULL,
    "eventId" VARCHAR(64) NOT NULL,
    "eventType" VARCHAR(64) NOT NULL,
    "merchantId" UUID NOT NULL,
    "orderId" UUID,
    "payoutId" UUID,
    "fundRequestId" UUID,
    "url" VARCHAR(1024) NOT NULL,
    "body" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attemptCount" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3),
    "lastAttemptAt" TIMESTAMPTZ(3),
    "lastStatusCode" INTEGER,
    "deliveredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attemptNo" INTEGER NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "statusCode" INTEGER,
    "latencyMs" INTEGER NOT NULL,
    "responseExcerpt" VARCHAR(1024),
    "error" VARCHAR(512),

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "exports" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "merchantId" UUID,
    "kind" VARCHAR(32) NOT NULL,
    "format" VARCHAR(10) NOT NULL DEFAULT 'csv',
    "filters" JSONB NOT NULL DEFAULT '{}',
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "totalRows" INTEGER,
    "processedRows" INTEGER NOT NULL DEFAULT 0,
    "fileName" VARCHAR(200),
    "fileSize" INTEGER,
    "content" BYTEA,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "expiresAt" TIMESTAMPTZ(3),

    CONSTRAINT "exports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk_rules" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "merchantId" UUID,
    "direction" "Direction" NOT NULL,
    "kind" VARCHAR(32) NOT NULL,
    "currencyCode" VARCHAR(10),
    "threshold" BIGINT,
    "value" VARCHAR(256),
    "action" "RiskAction" NOT NULL,
    "status" "EnableStatus" NOT NULL DEFAULT 'ENABLED',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "risk_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fx_rates" (
    "id" UUID NOT NULL,
    "base" VARCHAR(10) NOT NULL,
    "quote" VARCHAR(10) NOT NULL,
    "rate" DECIMAL(30,12) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fx_rates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "settings" (
    "key" VARCHAR(100) NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "merchants_mchId_key" ON "merchants"("mchId");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_merchantId_idx" ON "users"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "roles_key_key" ON "roles"("key");

-- CreateIndex
CREATE UNIQUE INDEX "roles_merchantId_name_key" ON "roles"("merchantId", "name");

-- CreateIndex
CREATE INDEX "user_roles_roleId_idx" ON "user_roles"("roleId");

-- CreateIndex
CREATE INDEX "sessions_userId_idx" ON "sessions"("userId");

-- CreateIndex
CREATE INDEX "login_attempts_email_createdAt_idx" ON "login_attempts"("email", "createdAt");

-- CreateIndex
CREATE INDEX "login_attempts_userId_createdAt_idx" ON "login_attempts"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_tokenHash_key" ON "api_tokens"("tokenHash");

-- CreateIndex
CREATE INDEX "api_tokens_merchantId_idx" ON "api_tokens"("merchantId");

-- CreateIndex
CREATE INDEX "audit_logs_createdAt_idx" ON "audit_logs"("createdAt");

-- CreateIndex
CREATE INDEX "audit_logs_merchantId_createdAt_idx" ON "audit_logs"("merchantId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_logs_entityType_entityId_idx" ON "audit_logs"("entityType", "entityId");

-- CreateIndex
CREATE INDEX "audit_logs_actorId_createdAt_idx" ON "audit_logs"("actorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "apps_appId_key" ON "apps"("appId");

-- CreateIndex
CREATE INDEX "apps_merchantId_idx" ON "apps"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "merchant_keys_appId_serial_key" ON "merchant_keys"("appId", "serial");

-- CreateIndex
CREATE UNIQUE INDEX "platform_keys_serial_key" ON "platform_keys"("serial");

-- CreateIndex
CREATE INDEX "platform_keys_appId_idx" ON "platform_keys"("appId");

-- CreateIndex
CREATE INDEX "api_nonces_expiresAt_idx" ON "api_nonces"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "services_code_key" ON "services"("code");

-- CreateIndex
CREATE INDEX "services_currencyCode_chain_idx" ON "services"("currencyCode", "chain");

-- CreateIndex
CREATE INDEX "merchant_services_serviceId_idx" ON "merchant_services"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "merchant_services_merchantId_serviceId_key" ON "merchant_services"("merchantId", "serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "channels_code_key" ON "channels"("code");

-- CreateIndex
CREATE INDEX "channel_services_serviceId_idx" ON "channel_services"("serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "channel_services_channelId_serviceId_key" ON "channel_services"("channelId", "serviceId");

-- CreateIndex
CREATE UNIQUE INDEX "orders_orderNo_key" ON "orders"("orderNo");

-- CreateIndex
CREATE UNIQUE INDEX "orders_prepayId_key" ON "orders"("prepayId");

-- CreateIndex
CREATE INDEX "orders_merchantId_createdAt_id_idx" ON "orders"("merchantId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "orders_createdAt_id_idx" ON "orders"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "orders_merchantId_status_createdAt_idx" ON "orders"("merchantId", "status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "orders_status_expireAt_idx" ON "orders"("status", "expireAt");

-- CreateIndex
CREATE INDEX "orders_channelId_createdAt_idx" ON "orders"("channelId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "orders_merchantId_paidAt_idx" ON "orders"("merchantId", "paidAt" DESC);

-- CreateIndex
CREATE INDEX "orders_outTradeNo_idx" ON "orders"("outTradeNo");

-- CreateIndex
CREATE INDEX "orders_userLabel_idx" ON "orders"("userLabel");

-- CreateIndex
CREATE UNIQUE INDEX "orders_merchantId_outTradeNo_key" ON "orders"("merchantId", "outTradeNo");

-- CreateIndex
CREATE INDEX "payments_orderId_idx" ON "payments"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "payments_channelId_txnId_key" ON "payments"("channelId", "txnId");

-- CreateIndex
CREATE INDEX "order_events_orderId_id_idx" ON "order_events"("orderId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "payouts_payoutNo_key" ON "payouts"("payoutNo");

-- CreateIndex
CREATE INDEX "payouts_merchantId_createdAt_id_idx" ON "payouts"("merchantId", "createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "payouts_createdAt_id_idx" ON "payouts"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "payouts_merchantId_status_createdAt_idx" ON "payouts"("merchantId", "status", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "payouts_status_submittedAt_idx" ON "payouts"("status", "submittedAt");

-- CreateIndex
CREATE INDEX "payouts_channelId_createdAt_idx" ON "payouts"("channelId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "payouts_outTradeNo_idx" ON "payouts"("outTradeNo");

-- CreateIndex
CREATE INDEX "payouts_userLabel_idx" ON "payouts"("userLabel");

-- CreateIndex
CREATE INDEX "payouts_recipientAccount_idx" ON "payouts"("recipientAccount");

-- CreateIndex
CREATE UNIQUE INDEX "payouts_merchantId_outTradeNo_key" ON "payouts"("merchantId", "outTradeNo");

-- CreateIndex
CREATE INDEX "payout_events_payoutId_id_idx" ON "payout_events"("payoutId", "id");

-- CreateIndex
CREATE INDEX "upstream_callbacks_channelId_eventKey_idx" ON "upstream_callbacks"("channelId", "eventKey");

-- CreateIndex
CREATE INDEX "upstream_callbacks_createdAt_idx" ON "upstream_callbacks"("createdAt");

-- CreateIndex
CREATE INDEX "ledger_accounts_merchantId_idx" ON "ledger_accounts"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_accounts_ownerType_ownerId_currencyCode_kind_key" ON "ledger_accounts"("ownerType", "ownerId", "currencyCode", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transactions_idempotencyKey_key" ON "ledger_transactions"("idempotencyKey");

-- CreateIndex
CREATE INDEX "ledger_transactions_referenceType_referenceId_idx" ON "ledger_transactions"("referenceType", "referenceId");

-- CreateIndex
CREATE INDEX "ledger_transactions_createdAt_idx" ON "ledger_transactions"("createdAt");

-- CreateIndex
CREATE INDEX "ledger_entries_accountId_id_idx" ON "ledger_entries"("accountId", "id");

-- CreateIndex
CREATE INDEX "ledger_entries_accountId_createdAt_idx" ON "ledger_entries"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "ledger_entries_transactionId_idx" ON "ledger_entries"("transactionId");

-- CreateIndex
CREATE INDEX "daily_statements_merchantId_date_idx" ON "daily_statements"("merchantId", "date" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "daily_statements_accountId_date_key" ON "daily_statements"("accountId", "date");

-- CreateIndex
CREATE UNIQUE INDEX "pending_settlements_orderId_key" ON "pending_settlements"("orderId");

-- CreateIndex
CREATE INDEX "pending_settlements_releasedAt_releaseAt_idx" ON "pending_settlements"("releasedAt", "releaseAt");

-- CreateIndex
CREATE INDEX "pending_settlements_merchantId_idx" ON "pending_settlements"("merchantId");

-- CreateIndex
CREATE INDEX "merchant_destinations_merchantId_idx" ON "merchant_destinations"("merchantId");

-- CreateIndex
CREATE UNIQUE INDEX "fund_requests_requestNo_key" ON "fund_requests"("requestNo");

-- CreateIndex
CREATE INDEX "fund_requests_merchantId_createdAt_idx" ON "fund_requests"("merchantId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "fund_requests_status_createdAt_idx" ON "fund_requests"("status", "createdAt");

-- CreateIndex
CREATE INDEX "fund_requests_targetMerchantId_idx" ON "fund_requests"("targetMerchantId");

-- CreateIndex
CREATE UNIQUE INDEX "deliveries_eventId_key" ON "deliveries"("eventId");

-- CreateIndex
CREATE INDEX "deliveries_orderId_sequence_idx" ON "deliveries"("orderId", "sequence");

-- CreateIndex
CREATE INDEX "deliveries_payoutId_sequence_idx" ON "deliveries"("payoutId", "sequence");

-- CreateIndex
CREATE INDEX "deliveries_merchantId_createdAt_idx" ON "deliveries"("merchantId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "deliveries_status_nextAttemptAt_idx" ON "deliveries"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "delivery_attempts_deliveryId_attemptNo_idx" ON "delivery_attempts"("deliveryId", "attemptNo");

-- CreateIndex
CREATE INDEX "exports_userId_createdAt_idx" ON "exports"("userId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "exports_merchantId_createdAt_idx" ON "exports"("merchantId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "risk_rules_direction_status_idx" ON "risk_rules"("direction", "status");

-- CreateIndex
CREATE UNIQUE INDEX "fx_rates_base_quote_key" ON "fx_rates"("base", "quote");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "roles" ADD CONSTRAINT "roles_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_roles" ADD CONSTRAINT "user_roles_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "roles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "login_attempts" ADD CONSTRAINT "login_attempts_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_logs" ADD CONSTRAINT "audit_logs_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "apps" ADD CONSTRAINT "apps_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merchant_keys" ADD CONSTRAINT "merchant_keys_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "platform_keys" ADD CONSTRAINT "platform_keys_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "services" ADD CONSTRAINT "services_currencyCode_fkey" FOREIGN KEY ("currencyCode") REFERENCES "currencies"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merchant_services" ADD CONSTRAINT "merchant_services_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merchant_services" ADD CONSTRAINT "merchant_services_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channels" ADD CONSTRAINT "channels_currencyCode_fkey" FOREIGN KEY ("currencyCode") REFERENCES "currencies"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_services" ADD CONSTRAINT "channel_services_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_services" ADD CONSTRAINT "channel_services_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_events" ADD CONSTRAINT "order_events_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_appId_fkey" FOREIGN KEY ("appId") REFERENCES "apps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "services"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payouts" ADD CONSTRAINT "payouts_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payout_events" ADD CONSTRAINT "payout_events_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "payouts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "upstream_callbacks" ADD CONSTRAINT "upstream_callbacks_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_accounts" ADD CONSTRAINT "ledger_accounts_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "channels"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_transactionId_fkey" FOREIGN KEY ("transactionId") REFERENCES "ledger_transactions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_statements" ADD CONSTRAINT "daily_statements_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "daily_statements" ADD CONSTRAINT "daily_statements_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "ledger_accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pending_settlements" ADD CONSTRAINT "pending_settlements_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merchant_destinations" ADD CONSTRAINT "merchant_destinations_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fund_requests" ADD CONSTRAINT "fund_requests_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fund_requests" ADD CONSTRAINT "fund_requests_targetMerchantId_fkey" FOREIGN KEY ("targetMerchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fund_requests" ADD CONSTRAINT "fund_requests_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "merchant_destinations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "payouts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_fundRequestId_fkey" FOREIGN KEY ("fundRequestId") REFERENCES "fund_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exports" ADD CONSTRAINT "exports_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "exports" ADD CONSTRAINT "exports_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "risk_rules" ADD CONSTRAINT "risk_rules_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "merchants"("id") ON DELETE SET NULL ON UPDATE CASCADE;
