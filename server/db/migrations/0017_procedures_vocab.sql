CREATE TABLE "procedure_search_terms" (
	"term" text PRIMARY KEY NOT NULL,
	"ndoc" integer NOT NULL,
	"is_phrase" boolean NOT NULL
);
--> statement-breakpoint
CREATE INDEX "procedure_search_terms_trgm_idx" ON "procedure_search_terms" USING gin ("term" gin_trgm_ops);