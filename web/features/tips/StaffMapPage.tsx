import { tipCategoryValues } from '@common/schemas/tips'
import L from 'leaflet'
import 'leaflet/dist/leaflet.css'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate } from 'react-router'
import { formatDateTime } from '../../lib/format'
import { useDocumentTitle } from '../../lib/use-document-title'
import { useMapData, useMapSettings } from './tips-api'
import './tips.css'

/** Hanoi's centre: where the map starts when there is nothing to show. */
const START: [number, number] = [21.0285, 105.8542]

/**
 * /staff/map: tips and cases with a position. Tiles come from MAP_TILE_URL when it is set; without
 * them the pins sit on a blank map and the list below carries everything (no internet needed).
 */
export function StaffMapPage() {
  const { t } = useTranslation()
  useDocumentTitle(t('tips.map.title'))
  const navigate = useNavigate()
  const [category, setCategory] = useState('')
  const [status, setStatus] = useState('')
  const [since, setSince] = useState('')
  const query = new URLSearchParams({
    ...(category ? { category } : {}),
    ...(status ? { status } : {}),
    ...(since ? { from: `${since}T00:00:00+07:00` } : {}),
  }).toString()
  const { data } = useMapData(query)
  const settings = useMapSettings()
  const holder = useRef<HTMLElement>(null)
  const map = useRef<L.Map | null>(null)
  const layer = useRef<L.LayerGroup | null>(null)

  useEffect(() => {
    if (!holder.current || map.current || !settings.data) return
    const m = L.map(holder.current, { zoomControl: true }).setView(START, 14)
    if (settings.data.tileUrl)
      L.tileLayer(settings.data.tileUrl, { attribution: settings.data.attribution, maxZoom: 19 }).addTo(m)
    layer.current = L.layerGroup().addTo(m)
    map.current = m
    return () => {
      m.remove()
      map.current = null
    }
  }, [settings.data])

  useEffect(() => {
    const m = map.current
    const group = layer.current
    if (!m || !group || !data) return
    group.clearLayers()
    const points: [number, number][] = []
    for (const f of data.features) {
      const [lng, lat] = f.geometry.coordinates
      points.push([lat, lng])
      L.circleMarker([lat, lng], {
        radius: 9,
        color: f.properties.kind === 'case' ? '#0b4f8a' : '#7a4d00',
        fillOpacity: 0.8,
      })
        .bindTooltip(`${f.properties.reference} · ${f.properties.title}`)
        .on('click', () => navigate(f.properties.url))
        .addTo(group)
    }
    if (points.length) m.fitBounds(L.latLngBounds(points), { maxZoom: 17, padding: [24, 24] })
  }, [data, navigate])

  return (
    <>
      <h1>{t('tips.map.title')}</h1>
      <form className="map-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('tips.map.category')}
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('tips.map.any')}</option>
            {tipCategoryValues.map((c) => (
              <option key={c} value={c}>
                {t(`tips.category.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tips.map.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('tips.map.any')}</option>
            <option value="new,in_review,verifying,in_progress">{t('tips.map.open')}</option>
            <option value="resolved,closed">{t('tips.map.done')}</option>
          </select>
        </label>
        <label>
          {t('tips.map.since')}
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} />
        </label>
      </form>
      {settings.data && !settings.data.tileUrl && <p className="field__hint">{t('tips.map.noTiles')}</p>}
      <section ref={holder} className="staff-map" aria-label={t('tips.map.mapLabel')} />
      <h2>{t('tips.map.list', { count: data?.features.length ?? 0 })}</h2>
      <table className="evidence-table map-list">
        <thead>
          <tr>
            <th scope="col">{t('tips.map.item')}</th>
            <th scope="col">{t('tips.map.status')}</th>
            <th scope="col">{t('tips.map.where')}</th>
            <th scope="col">{t('tips.map.when')}</th>
          </tr>
        </thead>
        <tbody>
          {data?.features.map((f) => (
            <tr key={f.id}>
              <td>
                <Link to={f.properties.url}>{`${f.properties.reference} · ${f.properties.title}`}</Link>
              </td>
              <td>
                {f.properties.kind === 'case'
                  ? t(`cases.status.${f.properties.status as 'new'}`)
                  : t(`tips.status.${f.properties.status as 'new'}`)}
              </td>
              <td>
                {f.properties.areaName} ({f.geometry.coordinates[1].toFixed(4)},{' '}
                {f.geometry.coordinates[0].toFixed(4)})
              </td>
              <td>{formatDateTime(f.properties.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}
