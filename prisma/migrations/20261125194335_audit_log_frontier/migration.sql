-- DropIndex
DROP INDEX "AuditEvent_action_idx";

-- DropIndex
DROP INDEX "AuditEvent_actorId_idx";

-- AlterTable
ALTER TABLE "AuditEvent" ALTER COLUMN "seq" DROP DEFAULT;
DROP SEQUENCE "AuditEvent_seq_seq";

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "origin" TEXT,
    "size" BIGINT NOT NULL DEFAULT 0,
    "frontier" JSONB,
    "saltSealed" BYTEA,
    "checkpointSize" BIGINT NOT NULL DEFAULT 0,
    "checkpointAt" TIMESTAMP(3),

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditEvent_action_seq_idx" ON "AuditEvent"("action", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_seq_idx" ON "AuditEvent"("actorId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_decision_seq_idx" ON "AuditEvent"("decision", "seq");

-- Events written before this migration were numbered from 1 by a sequence (gaps possible after
-- a rolled-back insert). The tree's leaf index is 0-based and gap-free, so renumber them in
-- order (through negative values: unique checks run per row), and open the log's one row with
-- their count; its frontier is rebuilt from their stored leaf hashes on first use (frontier NULL).
UPDATE "AuditEvent" SET "seq" = -1 - r."n" FROM (SELECT "seq", row_number() OVER (ORDER BY "seq") - 1 AS "n" FROM "AuditEvent") r WHERE "AuditEvent"."seq" = r."seq";
UPDATE "AuditEvent" SET "seq" = -1 - "seq";
INSERT INTO "AuditLog" ("id", "size", "frontier") SELECT 1, count(*), CASE WHEN count(*) = 0 THEN '{"size":0,"hashes":[]}'::jsonb END FROM "AuditEvent";
