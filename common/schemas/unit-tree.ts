import { z } from 'zod'

/** Importing and exporting the unit tree from the staff console (the CLI's `import/export units`). */

export const ZUnitFileFormat = z.enum(['csv', 'json'])
export type TUnitFileFormat = z.infer<typeof ZUnitFileFormat>

/** Up to 4 MB of text: a province's units with their boundaries fit many times over. */
export const UNIT_FILE_MAX_CHARS = 4 * 1024 * 1024

export const ZUnitTreeImportRequest = z.object({
  format: ZUnitFileFormat,
  text: z.string().min(1).max(UNIT_FILE_MAX_CHARS),
  /** True: plan and report, write nothing (the report an administrator reads before importing). */
  dryRun: z.boolean(),
})
export type TUnitTreeImportRequest = z.infer<typeof ZUnitTreeImportRequest>

const ZImportItem = z.object({ line: z.number().int(), key: z.string(), name: z.string() })

export const ZUnitTreeImportReport = z.object({
  dryRun: z.boolean(),
  /** True only when this request wrote to the database. */
  written: z.boolean(),
  created: z.array(ZImportItem),
  updated: z.array(ZImportItem.extend({ changes: z.array(z.string()) })),
  unchanged: z.number().int(),
  /** Rows refused and why, in the caller's language; when not empty nothing was (or would be) written. */
  refused: z.array(
    z.object({
      line: z.number().int(),
      /** "Dòng 12" (CSV) or "Mục 3" (JSON). */
      where: z.string(),
      field: z.string().nullable(),
      code: z.string(),
      message: z.string(),
    }),
  ),
})
export type TUnitTreeImportReport = z.infer<typeof ZUnitTreeImportReport>

export const ZUnitTreeExportQuery = z.object({
  format: ZUnitFileFormat.default('csv'),
  /** Only this unit (by slug) and everything under it. */
  root: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .max(120)
    .optional(),
})
