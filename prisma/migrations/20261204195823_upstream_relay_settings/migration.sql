-- AlterTable
ALTER TABLE "Upstream" ADD COLUMN     "allowElicitation" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "allowSampling" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "shared" BOOLEAN NOT NULL DEFAULT false;
