-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "claimedBy" VARCHAR(64);

-- AlterTable
ALTER TABLE "upstream_callbacks" ADD COLUMN     "appliedAt" TIMESTAMPTZ(3),
ADD COLUMN     "intent" JSONB;

-- CreateTable
CREATE TABLE "worker_processes" (
    "id" UUID NOT NULL,
    "workerIds" TEXT[],
    "hostname" VARCHAR(255) NOT NULL,
    "pid" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_processes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "worker_processes_heartbeatAt_idx" ON "worker_processes"("heartbeatAt");

-- CreateIndex
CREATE INDEX "deliveries_claimedBy_idx" ON "deliveries"("claimedBy");

-- CreateIndex
CREATE INDEX "upstream_callbacks_result_createdAt_idx" ON "upstream_callbacks"("result", "createdAt");
