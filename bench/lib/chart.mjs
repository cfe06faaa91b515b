// A small SVG line chart for benchmark results (no charting dependency needed for a few series).

const palette = ["#3b5bdb", "#e8590c", "#2b8a3e", "#c2255c", "#5f3dc4"];

/**
 * @param {{ title: string, xLabel: string, yLabel: string, series: Array<{ name: string, points: Array<[number, number]> }> }} chart
 * @returns {string} SVG markup
 */
export function lineChartSvg({ title, xLabel, yLabel, series }) {
  const width = 760;
  const height = 420;
  const pad = { left: 70, right: 20, top: 40, bottom: 60 };
  const all = series.flatMap((s) => s.points);
  const maxX = Math.max(1, ...all.map(([x]) => x));
  const maxY = niceCeil(Math.max(1, ...all.map(([, y]) => y)));
  const sx = (/** @type {number} */ x) => pad.left + (x / maxX) * (width - pad.left - pad.right);
  const sy = (/** @type {number} */ y) => height - pad.bottom - (y / maxY) * (height - pad.top - pad.bottom);
  const ticks = Array.from({ length: 6 }, (_, i) => (maxY / 5) * i);
  const xticks = Array.from({ length: 6 }, (_, i) => Math.round((maxX / 5) * i));
  const esc = (/** @type {string} */ t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const lines = series
    .map((s, i) => {
      const d = s.points.map(([x, y], j) => `${j ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ");
      return `<path d="${d}" fill="none" stroke="${palette[i % palette.length]}" stroke-width="2"/>`;
    })
    .join("\n");
  const legend = series
    .map(
      (s, i) =>
        `<g transform="translate(${pad.left + 10 + (i % 3) * 220},${pad.top - 18 + Math.floor(i / 3) * 14})"><rect width="14" height="4" y="-4" fill="${palette[i % palette.length]}"/><text x="20" font-size="12">${esc(s.name)}</text></g>`,
    )
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e7eb"/><text x="${pad.left - 8}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${Math.round(t)}</text>`).join("\n")}
${xticks.map((t) => `<text x="${sx(t)}" y="${height - pad.bottom + 18}" text-anchor="middle" font-size="11">${t}</text>`).join("\n")}
<line x1="${pad.left}" x2="${width - pad.right}" y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#111"/>
<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#111"/>
<text x="${width / 2}" y="${height - 18}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>
<text transform="translate(16,${height / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>
${lines}
${legend}
</svg>
`;
}

/**
 * Grouped bars: one group per label, one bar per series (e.g. the same request on a small and a large database).
 * @param {{ title: string, yLabel: string, series: string[], groups: Array<{ label: string, values: number[] }> }} chart
 * @returns {string} SVG markup
 */
export function barChartSvg({ title, yLabel, series, groups }) {
  const width = 760;
  const height = 420;
  const pad = { left: 70, right: 20, top: 50, bottom: 80 };
  const maxY = niceCeil(Math.max(1, ...groups.flatMap((g) => g.values)));
  const sy = (/** @type {number} */ y) => height - pad.bottom - (y / maxY) * (height - pad.top - pad.bottom);
  const groupWidth = (width - pad.left - pad.right) / Math.max(1, groups.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, series.length);
  const esc = (/** @type {string} */ t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const ticks = Array.from({ length: 6 }, (_, i) => (maxY / 5) * i);
  const bars = groups
    .map(
      (g, gi) =>
        g.values
          .map((v, si) => {
            const x = pad.left + gi * groupWidth + groupWidth * 0.1 + si * barWidth;
            return `<rect x="${x.toFixed(1)}" y="${sy(v).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(sy(0) - sy(v)).toFixed(1)}" fill="${palette[si % palette.length]}"/>`;
          })
          .join("\n") +
        `\n<text x="${(pad.left + gi * groupWidth + groupWidth / 2).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle" font-size="11">${esc(g.label)}</text>`,
    )
    .join("\n");
  const legend = series
    .map(
      (name, i) =>
        `<g transform="translate(${pad.left + 10},${pad.top - 28 + i * 14})"><rect width="10" height="10" y="-9" fill="${palette[i % palette.length]}"/><text x="16" font-size="11">${esc(name)}</text></g>`,
    )
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" viewBox="0 0 ${width} ${height}">
<rect width="100%" height="100%" fill="#fff"/>
<text x="${width / 2}" y="16" text-anchor="middle" font-size="15" font-weight="600">${esc(title)}</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e7eb"/><text x="${pad.left - 8}" y="${sy(t) + 4}" text-anchor="end" font-size="11">${Number(t.toFixed(1))}</text>`).join("\n")}
<line x1="${pad.left}" x2="${width - pad.right}" y1="${sy(0)}" y2="${sy(0)}" stroke="#111"/>
<text transform="translate(16,${height / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yLabel)}</text>
${bars}
${legend}
</svg>
`;
}

/** @param {number} value */
function niceCeil(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  return steps.map((s) => s * magnitude).find((v) => v >= value) ?? 10 * magnitude;
}

/**
 * Median and percentiles of a list of numbers.
 * @param {number[]} values
 * @param {number} p
 */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * A markdown table from rows of objects.
 * @param {Array<Record<string, unknown>>} rows
 */
export function markdownTable(rows) {
  if (rows.length === 0) return "";
  const keys = Object.keys(rows[0]);
  return [
    `| ${keys.join(" | ")} |`,
    `|${keys.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${keys.map((k) => r[k]).join(" | ")} |`),
  ].join("\n");
}
