-- CreateEnum
CREATE TYPE "RotationKind" AS ENUM ('rotate', 'revoke');

-- AlterEnum
ALTER TYPE "KeyState" ADD VALUE 'revoked';

-- AlterTable
ALTER TABLE "Key" ADD COLUMN     "revokedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RotationRequest" ADD COLUMN     "kind" "RotationKind" NOT NULL DEFAULT 'rotate';
