import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { useEffect, useRef } from 'react'

// Only what a bar chart needs, so the dashboard's chunk stays small (chart.js is tree-shaken).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip)
Chart.defaults.font.family = '"Be Vietnam Pro", system-ui, sans-serif'
Chart.defaults.color = '#4a5565'

export interface BarSeries {
  label: string
  values: number[]
  /** The previous period is drawn lighter. */
  muted?: boolean
}

/**
 * Horizontal bars, labels on the left: long Vietnamese area names stay readable at 360 px.
 * The canvas is an image to assistive technology; the same numbers are in the table view.
 */
export function BarChart({
  labels,
  series,
  locale,
  title,
  horizontal = true,
  onSelect,
}: {
  labels: string[]
  series: BarSeries[]
  locale: string
  title: string
  horizontal?: boolean
  /** A click on a bar opens the list behind it. */
  onSelect?: (index: number) => void
}) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    if (!canvas.current) return
    const format = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })
    const valueAxis = {
      beginAtZero: true,
      ticks: { callback: (v: string | number) => format.format(Number(v)) },
    }
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels,
        datasets: series.map((s) => ({
          label: s.label,
          data: s.values,
          backgroundColor: s.muted ? '#9fbcd9' : '#0b4f8a',
          borderRadius: 3,
        })),
      },
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        maintainAspectRatio: false,
        animation: false,
        locale,
        onClick: (_e, elements) => {
          const hit = elements[0]
          if (hit && onSelect) onSelect(hit.index)
        },
        plugins: {
          legend: { display: series.length > 1, position: 'bottom' },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format.format(Number(c.raw))}` } },
        },
        scales: horizontal ? { x: valueAxis } : { y: valueAxis },
      },
    })
    return () => chart.destroy()
  }, [labels, series, locale, horizontal, onSelect])
  const perRow = series.length > 1 ? 34 : 26
  const height = horizontal ? Math.max(160, Math.min(1200, 70 + labels.length * perRow)) : 240
  return (
    <div className="dash-chart" style={{ height }}>
      <canvas ref={canvas} role="img" aria-label={title} />
    </div>
  )
}
