-- AlterTable
ALTER TABLE "Key" ADD COLUMN     "previousSignature" BYTEA,
ADD COLUMN     "retireAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RotationRequest" ADD COLUMN     "dedupeKey" TEXT,
ADD COLUMN     "newFingerprint" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "RotationRequest_dedupeKey_key" ON "RotationRequest"("dedupeKey");
