import { dateOfDay } from '#core/dates.ts';
import { formatFen } from '#core/prices/money.ts';
import type { Trend } from '#core/prices/trend.ts';

/*
 * Drawn at about the width a phone shows it (the stylesheet caps it at 30rem), so that the axis
 * text, 14 units high, is at least 11 px as rendered on a 360 px screen — on a 640-unit chart
 * squeezed into 340 px it was under 6 px.
 */
const W = 400;
const H = 220;
const FONT = 14;
const [RIGHT, TOP, BOTTOM] = [8, 10, 2 * FONT];
/** How many line styles the stylesheet has (.s0 … .s5); more series reuse them. */
const STYLES = 6;

/**
 * A line chart as inline SVG, drawn on the server: no script, prints, and reads out its title
 * and description to screen readers. Three price ticks (min, middle, max) and three date ticks.
 */
export function TrendChart(props: { trend: Trend; labels: Record<string, string>; title: string; desc: string }) {
  const { trend, labels } = props;
  const pad = Math.max(
    1,
    Math.round((trend.maxFen - trend.minFen) * 0.1),
    trend.minFen === trend.maxFen ? Math.round(trend.maxFen * 0.1) : 0,
  );
  const [lo, hi] = [Math.max(0, trend.minFen - pad), trend.maxFen + pad];
  const prices = [lo, Math.round((lo + hi) / 2), hi];
  // Room for the longest price label ("12500.00"), at about 0.6 em a digit.
  const LEFT = Math.ceil(Math.max(...prices.map((p) => formatFen(p).length)) * FONT * 0.6) + 6;
  const span = Math.max(1, trend.toDay - trend.fromDay);
  const x = (day: number) => (LEFT + ((day - trend.fromDay) / span) * (W - LEFT - RIGHT)).toFixed(0);
  const y = (fen: number) => (TOP + (1 - (fen - lo) / (hi - lo)) * (H - TOP - BOTTOM)).toFixed(0);
  const days = [trend.fromDay, Math.round((trend.fromDay + trend.toDay) / 2), trend.toDay];
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-t chart-d" width="100%">
        <title id="chart-t">{props.title}</title>
        <desc id="chart-d">{props.desc}</desc>
        <g class="axis" font-size={FONT}>
          {prices.map((p) => (
            <>
              <line x1={LEFT} x2={W - RIGHT} y1={y(p)} y2={y(p)} />
              <text x={LEFT - 4} y={y(p)} text-anchor="end" dominant-baseline="middle">
                {formatFen(p)}
              </text>
            </>
          ))}
          {days.map((d, i) => (
            <text x={x(d)} y={H - 6} text-anchor={['start', 'middle', 'end'][i]}>
              {dateOfDay(d)}
            </text>
          ))}
        </g>
        {trend.series.map((s, i) => (
          <g class={`s${i % STYLES}`}>
            <polyline fill="none" points={s.points.map((p) => `${x(p.day)},${y(p.fen)}`).join(' ')} />
            {s.points.slice(-1).map((p) => (
              <circle cx={x(p.day)} cy={y(p.fen)} r="3">
                <title>{`${labels[s.key] ?? s.key} ${p.date}: ${formatFen(p.fen)}`}</title>
              </circle>
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul class="legend">
          {trend.series.map((s, i) => (
            <li>
              <span class={`swatch s${i % STYLES}`} aria-hidden="true"></span> {labels[s.key] ?? s.key}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
