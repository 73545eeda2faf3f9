-- CreateTable
CREATE TABLE "export_parts" (
    "exportId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "export_parts_pkey" PRIMARY KEY ("exportId","seq")
);

-- AddForeignKey
ALTER TABLE "export_parts" ADD CONSTRAINT "export_parts_exportId_fkey" FOREIGN KEY ("exportId") REFERENCES "exports"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Parts are about a megabyte of CSV each, written once and read once: kept out of line without
-- compression, so writing an export costs no compression CPU in the database.
ALTER TABLE "export_parts" ALTER COLUMN "content" SET STORAGE EXTERNAL;
