// Charts for docs/performance.md, written as plain SVG (no chart library): a bar chart of
// Cambium/PostgreSQL ratios per metric, and latency distributions (percentile curves).
import { latencyPercentiles, type LatencySummary } from './suite.js';

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
const fontStyle = 'font-family="Helvetica, Arial, sans-serif" font-size="12"';
const colors = { cambium: '#2e7d32', postgres: '#1565c0', short: '#ef6c00', grid: '#d0d0d0', text: '#222' };

export interface RatioBar {
  label: string;
  ratio: number | null;
  target?: number;
}

/** Horizontal bars: ratio per metric, a line at 1.0 (parity), a tick at each target. */
export function ratioChart(title: string, bars: readonly RatioBar[]): string {
  const labelWidth = Math.max(120, 16 + 7 * Math.max(...bars.map((bar) => bar.label.length)));
  const plotWidth = 380;
  const rowHeight = 26;
  const top = 40;
  const height = top + bars.length * rowHeight + 40;
  const width = labelWidth + plotWidth + 70;
  const largest = Math.max(2, ...bars.map((bar) => (bar.ratio ?? 0) * 1.1), ...bars.map((bar) => (bar.target ?? 0) * 1.1));
  const x = (ratio: number) => labelWidth + (Math.min(ratio, largest) / largest) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${fontStyle}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold" fill="${colors.text}">${escapeXml(title)}</text>`,
  ];
  for (let tick = 0; tick <= largest + 1e-9; tick += largest > 4 ? 1 : 0.5) {
    parts.push(`<line x1="${x(tick)}" y1="${top - 6}" x2="${x(tick)}" y2="${height - 30}" stroke="${colors.grid}"/>`);
    parts.push(`<text x="${x(tick)}" y="${height - 14}" text-anchor="middle" fill="${colors.text}">${tick.toFixed(1)}×</text>`);
  }
  parts.push(`<line x1="${x(1)}" y1="${top - 10}" x2="${x(1)}" y2="${height - 30}" stroke="#555" stroke-width="2"/>`);
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end" fill="${colors.text}">${escapeXml(bar.label)}</text>`);
    if (bar.ratio === null) {
      parts.push(`<text x="${labelWidth + 6}" y="${y + 16}" fill="#888">n/a</text>`);
    } else {
      const meetsTarget = bar.ratio >= (bar.target ?? 1);
      const color = meetsTarget ? colors.cambium : colors.short;
      parts.push(`<rect x="${labelWidth}" y="${y + 4}" width="${Math.max(1, x(bar.ratio) - labelWidth)}" height="${rowHeight - 8}" fill="${color}"/>`);
      parts.push(`<text x="${x(bar.ratio) + 5}" y="${y + 16}" fill="${colors.text}">${bar.ratio.toFixed(2)}×</text>`);
    }
    if (bar.target !== undefined) {
      parts.push(`<line x1="${x(bar.target)}" y1="${y + 1}" x2="${x(bar.target)}" y2="${y + rowHeight - 1}" stroke="#000" stroke-dasharray="3,2"/>`);
    }
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export interface LatencySeries {
  name: string;
  latency: LatencySummary;
}

/** Latency (log scale) at each standard percentile, one curve per server. */
export function latencyChart(title: string, series: readonly LatencySeries[]): string {
  const width = 760;
  const height = 320;
  const left = 70;
  const right = 190;
  const top = 40;
  const bottom = 50;
  const values = series.flatMap((entry) => entry.latency.percentilesMs).filter((value) => value > 0);
  const low = Math.pow(10, Math.floor(Math.log10(Math.min(...values, 1))));
  const high = Math.pow(10, Math.ceil(Math.log10(Math.max(...values, low * 10))));
  const x = (index: number) => left + (index / (latencyPercentiles.length - 1)) * (width - left - right);
  const y = (ms: number) =>
    top + (1 - (Math.log10(Math.max(ms, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low))) * (height - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${fontStyle}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold" fill="${colors.text}">${escapeXml(title)}</text>`,
  ];
  for (let decade = low; decade <= high * 1.0001; decade *= 10) {
    parts.push(`<line x1="${left}" y1="${y(decade)}" x2="${width - right}" y2="${y(decade)}" stroke="${colors.grid}"/>`);
    parts.push(`<text x="${left - 6}" y="${y(decade) + 4}" text-anchor="end" fill="${colors.text}">${decade >= 1 ? decade : decade.toPrecision(1)} ms</text>`);
  }
  latencyPercentiles.forEach((percentile, index) => {
    parts.push(`<line x1="${x(index)}" y1="${top}" x2="${x(index)}" y2="${height - bottom}" stroke="${colors.grid}" stroke-dasharray="2,3"/>`);
    parts.push(
      `<text x="${x(index)}" y="${height - bottom + 16}" text-anchor="middle" fill="${colors.text}">${percentile === 100 ? 'max' : `p${percentile}`}</text>`,
    );
  });
  parts.push(`<text x="${(left + width - right) / 2}" y="${height - 10}" text-anchor="middle" fill="${colors.text}">percentile of transaction latency</text>`);
  series.forEach((entry, seriesIndex) => {
    const color = entry.name.toLowerCase().startsWith('cambium') ? colors.cambium : colors.postgres;
    const points = entry.latency.percentilesMs.map((ms, index) => `${x(index).toFixed(1)},${y(ms).toFixed(1)}`);
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color}"/>`);
    }
    const legendY = top + 10 + seriesIndex * 52;
    parts.push(`<rect x="${width - right + 15}" y="${legendY - 9}" width="12" height="12" fill="${color}"/>`);
    parts.push(`<text x="${width - right + 32}" y="${legendY + 1}" fill="${colors.text}">${escapeXml(entry.name)}</text>`);
    parts.push(`<text x="${width - right + 32}" y="${legendY + 16}" fill="#666">p50 ${formatMs(entry.latency.percentilesMs[4]!)}</text>`);
    parts.push(`<text x="${width - right + 32}" y="${legendY + 31}" fill="#666">p99 ${formatMs(entry.latency.percentilesMs[8]!)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}
