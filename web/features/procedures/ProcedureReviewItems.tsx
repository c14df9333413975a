import type { TProcedureDetail } from '@common/schemas/procedures'
import { ClipboardCheck } from 'lucide-react'
import { useTranslation } from 'react-i18next'

/**
 * What staff must check before this procedure's text is relied on (the catalogue's
 * `provenance.review_items`). The API sends `staff` only to staff, so residents never see it.
 */
export function ProcedureReviewItems({ staff }: { staff: NonNullable<TProcedureDetail['staff']> }) {
  const { t } = useTranslation()
  const items = staff.provenance.reviewItems
  if (items.length === 0) return null
  return (
    <section className="proc-review-items" aria-labelledby="proc-review-items">
      <h2 id="proc-review-items">
        <ClipboardCheck className="icon" aria-hidden="true" />
        {t('procedures.staff.reviewItems')}
      </h2>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </section>
  )
}
