import {
  type TUnitFileFormat,
  type TUnitTreeImportReport,
  type TUnitTreeImportRequest,
  ZUnitTreeImportReport,
} from '@common/schemas/unit-tree'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { apiFetch } from '../../api/client'
import { orgKeys } from '../organisation/organisation-api'

/** CSV or JSON from the file's name, as the CLI decides; null when the name says neither. */
export function formatOfFile(name: string): TUnitFileFormat | null {
  const ext = name.toLowerCase().split('.').pop()
  return ext === 'csv' || ext === 'json' ? ext : null
}

export const exportUrl = (format: TUnitFileFormat) => `/api/unit-tree/export?format=${format}`

/** A dry run (the report, nothing written) or the import itself; the unit pages refetch after a write. */
export function useImportUnitTree() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: TUnitTreeImportRequest) =>
      apiFetch<TUnitTreeImportReport>('/api/unit-tree/import', {
        method: 'POST',
        body,
        schema: ZUnitTreeImportReport,
      }),
    onSuccess: (report) => {
      if (report.written) void queryClient.invalidateQueries({ queryKey: orgKeys.all })
    },
  })
}
