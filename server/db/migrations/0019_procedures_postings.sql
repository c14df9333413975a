CREATE TABLE "procedure_search_postings" (
	"term" text NOT NULL,
	"procedure_id" text NOT NULL,
	"field" text NOT NULL,
	CONSTRAINT "procedure_search_postings_term_procedure_id_pk" PRIMARY KEY("term","procedure_id")
);
--> statement-breakpoint
ALTER TABLE "procedure_search_postings" ADD CONSTRAINT "procedure_search_postings_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "procedure_search_postings_procedure_idx" ON "procedure_search_postings" USING btree ("procedure_id");