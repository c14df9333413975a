-- Messages are written without a stream position and numbered after their commit (see the messages
-- table in server/db/schema/messaging.ts). The column was already bigint (bigserial): drizzle-kit's
-- "SET DATA TYPE bigint" is left out, it would only rebuild the column's indexes.
ALTER TABLE "messages" ALTER COLUMN "position" SET DEFAULT nextval('messages_position_seq'::regclass);--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "position" DROP NOT NULL;--> statement-breakpoint
CREATE INDEX "messages_unsequenced_idx" ON "messages" USING btree ("conversation_id","seq") WHERE "messages"."position" is null;
