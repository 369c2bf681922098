// The roadmap: programs over the period as a timeline (Gantt) chart, one colour per
// dimension, quick wins marked, the quick-win window (first two years) shaded.
import { html, type TemplateResult } from 'lit-html';
import type { App } from '../app';
import { echarts, narrow, updateChart, type ChartOption } from '../charts';
import { touches } from '../diff';
import { opdShort } from './overview';

const ROW = 30;

export function roadmapView(app: App): TemplateResult {
  const s = app.state!;
  const height = Math.max(220, s.programs.length * ROW + 90);
  return html`<section class="card">
    <div class="card-head">
      <h2>${app.t('roadmap.title', { start: s.startYear, end: s.endYear })}</h2>
      <div class="legend-note"><span class="qw-swatch"></span>${app.t('roadmap.quickWinWindow')} <span class="badge qw">⚡ ${app.t('roadmap.quickWin')}</span></div>
    </div>
    ${s.programs.length === 0
      ? html`<div class="empty">${app.t('roadmap.empty')}</div>`
      : html`<div class="chart" data-chart="roadmap" data-testid="roadmap-chart" style="height:${height}px"></div>`}
  </section>`;
}

interface Row {
  index: number;
  id: string;
  title: string;
  start: number;
  end: number;
  quickWin: boolean;
  lead: string;
  changed: boolean;
}

export function roadmapChart(app: App): void {
  const s = app.state;
  if (!s || app.tab !== 'roadmap' || s.programs.length === 0) return;
  const pillars = app.pillars;
  const order = pillars.map((d) => d.id);
  const programs = [...s.programs].sort(
    (a, b) => order.indexOf(a.dimension) - order.indexOf(b.dimension) || a.startYear - b.startYear || a.title.localeCompare(b.title),
  );
  const rows: Row[] = programs.map((p, index) => ({
    index,
    id: p.programId,
    title: p.title,
    start: p.startYear,
    end: p.endYear,
    quickWin: p.quickWin,
    lead: opdShort(app, p.leadOpd),
    changed: app.history !== null && touches(app.history.changed, `program/${p.programId}`),
  }));
  const minYear = Math.min(s.startYear, ...rows.map((r) => r.start));
  const maxYear = Math.max(s.endYear, ...rows.map((r) => r.end));
  const series = pillars
    .map((d) => {
      const data = programs
        .map((p, i) => ({ p, r: rows[i] }))
        .filter(({ p }) => p.dimension === d.id)
        .map(({ r }) => ({ value: [r.index, r.start, r.end + 1, r.quickWin ? 1 : 0, r.changed ? 1 : 0], name: r.title, row: r }));
      return {
        type: 'custom',
        name: app.lang === 'id' ? d.id_name : d.en_name,
        itemStyle: { color: d.color },
        encode: { x: [1, 2], y: 0 },
        data,
        renderItem: (params: { coordSys: { x: number; y: number; width: number; height: number } }, api: {
          value: (i: number) => number;
          coord: (v: number[]) => number[];
          size: (v: number[]) => number[];
          style: (o?: object) => object;
        }) => {
          const y = api.value(0);
          const start = api.coord([api.value(1), y]);
          const end = api.coord([api.value(2), y]);
          const h = Math.min(20, api.size([0, 1])[1] * 0.62);
          const quick = api.value(3) === 1;
          const changed = api.value(4) === 1;
          const rect = echarts.graphic.clipRectByRect(
            { x: start[0] + 1, y: start[1] - h / 2, width: Math.max(4, end[0] - start[0] - 2), height: h },
            params.coordSys,
          );
          if (!rect) return null;
          const children: object[] = [
            {
              type: 'rect',
              shape: { ...rect, r: 4 },
              style: {
                ...api.style(),
                stroke: changed ? '#f59e0b' : quick ? '#78350f' : 'transparent',
                lineWidth: changed ? 3 : quick ? 1.5 : 0,
              },
            },
          ];
          if (quick) {
            children.push({
              type: 'text',
              style: { text: '⚡', x: rect.x + rect.width + 4, y: start[1], verticalAlign: 'middle', fontSize: 13, fill: '#b45309' },
            });
          }
          return { type: 'group', children };
        },
      };
    })
    .filter((x) => x.data.length > 0);
  // The quick-win window on its own invisible series, so it shows whatever pillars exist.
  const windowSeries = {
    type: 'bar',
    name: '__window',
    data: [],
    silent: true,
    markArea: {
      silent: true,
      itemStyle: { color: 'rgba(245, 158, 11, 0.08)' },
      label: { show: false },
      data: [[{ xAxis: s.startYear }, { xAxis: s.startYear + 2 }]],
    },
  };
  const option: ChartOption = {
    animationDurationUpdate: 300,
    grid: { left: narrow() ? 110 : 250, right: narrow() ? 16 : 40, top: narrow() ? 96 : 46, bottom: 28 },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, data: series.map((x) => x.name), textStyle: { fontSize: 12 } },
    tooltip: {
      trigger: 'item',
      formatter: (params: { data: { row: Row } }) => {
        const r = params.data.row;
        return `<b>${r.title}</b><br/>${r.lead} · ${r.start}–${r.end}${r.quickWin ? ` · ⚡ ${app.t('roadmap.quickWin')}` : ''}`;
      },
    },
    xAxis: {
      type: 'value',
      min: minYear,
      max: maxYear + 1,
      interval: 1,
      position: 'top',
      axisLabel: { formatter: (v: number) => (v <= maxYear ? String(v) : ''), fontSize: 11, align: 'left' },
      splitLine: { lineStyle: { color: '#eef2f6' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: rows.map((r) => r.title),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#e2e8f0' } },
      axisLabel: {
        width: narrow() ? 100 : 230,
        overflow: 'truncate',
        fontSize: narrow() ? 11 : 12,
        color: '#334155',
        formatter: (v: string, i: number) => (rows[i]?.quickWin ? `⚡ ${v}` : v),
      },
    },
    series: [...series, windowSeries],
  };
  updateChart('roadmap', option, true);
}
