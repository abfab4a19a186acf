-- CreateTable
CREATE TABLE "ChannelSeqLease" (
    "sessionId" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "floor" BIGINT NOT NULL DEFAULT -1,
    "reserved" BIGINT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelSeqLease_pkey" PRIMARY KEY ("sessionId")
);

-- CreateIndex
CREATE INDEX "ChannelSeqLease_expiresAt_idx" ON "ChannelSeqLease"("expiresAt");
