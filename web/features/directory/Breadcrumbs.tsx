import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'

/** Directory › Hà Nội › Phường Hai Bà Trưng: every ancestor links to its public page. */
export function Breadcrumbs({ items }: { items: { slug: string; name: string }[] }) {
  const { t } = useTranslation()
  return (
    <nav aria-label={t('directory.breadcrumb')} className="dir-crumbs">
      <ol>
        <li>
          <Link to="/directory">{t('directory.title')}</Link>
        </li>
        {items.map((a) => (
          <li key={a.slug}>
            <Link to={`/u/${a.slug}`}>{a.name}</Link>
          </li>
        ))}
      </ol>
    </nav>
  )
}
