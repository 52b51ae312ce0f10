/**
 * chart.svg: requests and stale-seconds per workload and contender, as grouped bars on a
 * log scale (the naive baseline is an order of magnitude off the others). Plain SVG, no
 * charting dependency.
 */
import { contenderNames } from '../contenders/contract.js';
import type { Figures } from './figures.js';
import type { BenchResults } from './results.js';

const colors = ['#2563eb', '#f59e0b', '#dc2626', '#6b7280'];
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(results: BenchResults, key: keyof Figures, title: string, top: number): string[] {
  const width = 760;
  const height = 220;
  const left = 60;
  const values = results.workloads.flatMap((w) => contenderNames.map((n) => w.figures[n][key]));
  const max = Math.max(1, ...values);
  const scale = (v: number) => (Math.log10(1 + v) / Math.log10(1 + max)) * (height - 40);
  const group = (width - left) / results.workloads.length;
  const bar = (group - 30) / contenderNames.length;
  const parts = [
    `<text x="${left}" y="${top + 14}" font-weight="bold">${escapeXml(title)} (log scale)</text>`,
    `<line x1="${left}" y1="${top + height}" x2="${width}" y2="${top + height}" stroke="#999"/>`,
  ];
  results.workloads.forEach((w, i) => {
    const x0 = left + i * group + 15;
    parts.push(
      `<text x="${x0 + (group - 30) / 2}" y="${top + height + 16}" text-anchor="middle">${w.id}</text>`,
    );
    contenderNames.forEach((name, j) => {
      const v = w.figures[name][key];
      const h = scale(v);
      const x = x0 + j * bar;
      const y = top + height - h;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bar - 3).toFixed(1)}" height="${h.toFixed(1)}" fill="${colors[j]}"><title>${name} ${w.id}: ${v}</title></rect>`,
        `<text x="${(x + bar / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
      );
    });
  });
  return parts;
}

export function chartSvg(results: BenchResults): string {
  const legend = contenderNames.map(
    (name, j) =>
      `<rect x="${60 + j * 150}" y="8" width="12" height="12" fill="${colors[j]}"/><text x="${78 + j * 150}" y="19">${name}</text>`,
  );
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="780" height="560" font-family="sans-serif" font-size="12" role="img">',
    '<title>Requests and stale-seconds per workload: balance-sync, SWR, TanStack Query, naive</title>',
    '<rect width="100%" height="100%" fill="white"/>',
    ...legend,
    ...panel(results, 'requests', 'Requests to the server', 30),
    ...panel(
      results,
      'staleSeconds',
      'Stale-seconds (UI showed a number other than the server’s)',
      300,
    ),
    '</svg>',
    '',
  ].join('\n');
}
