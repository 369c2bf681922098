// Budget: totals, and charts by year (stacked by source), by source and by dimension.
import { html, type TemplateResult } from 'lit-html';
import { BUDGET_SOURCES } from '@rembuk/client';
import type { App } from '../app';
import { narrow, updateChart, type ChartOption } from '../charts';
import { formatRupiah, formatRupiahShort } from '../format';

const SOURCE_COLORS: Record<string, string> = {
  APBD: '#0f766e',
  APBD_PROVINSI: '#14b8a6',
  APBN: '#2563eb',
  KPBU: '#d97706',
  CSR: '#db2777',
  SWASTA: '#7c3aed',
};

interface BudgetViewBody {
  cells?: { year: number; source: string; dimension: string; amount: number }[];
}

/** Budget lines with their dimension: the server's budget view when it matches, else the state. */
function lines(app: App) {
  const view = app.view<BudgetViewBody>('budget');
  if (view?.cells) return view.cells;
  return (app.state?.programs ?? []).flatMap((p) => p.budget.map((l) => ({ ...l, dimension: p.dimension })));
}

export function budgetView(app: App): TemplateResult {
  const s = app.state!;
  const all = lines(app);
  const total = all.reduce((a, l) => a + l.amount, 0);
  const years = s.endYear - s.startYear + 1;
  const apbd = all.filter((l) => l.source === 'APBD').reduce((a, l) => a + l.amount, 0);
  const nonGov = all.filter((l) => ['KPBU', 'CSR', 'SWASTA'].includes(l.source)).reduce((a, l) => a + l.amount, 0);
  const pct = (x: number) => (total > 0 ? `${Math.round((x / total) * 100)}%` : '—');
  return html`<div class="budget">
    <div class="stat-cards">
      <div class="card stat-card"><div class="stat-label">${app.t('budget.total')}</div><div class="stat-value" title=${formatRupiah(total, app.lang)}>${formatRupiahShort(total, app.lang)}</div></div>
      <div class="card stat-card"><div class="stat-label">${app.t('budget.perYear')}</div><div class="stat-value">${formatRupiahShort(years > 0 ? total / years : 0, app.lang)}</div></div>
      <div class="card stat-card"><div class="stat-label">${app.t('budget.apbdShare')}</div><div class="stat-value">${pct(apbd)}</div></div>
      <div class="card stat-card"><div class="stat-label">${app.t('budget.nonGov')}</div><div class="stat-value">${pct(nonGov)}</div></div>
    </div>
    <section class="card">
      <div class="card-head"><h2>${app.t('budget.byYear')}</h2></div>
      <div class="chart" data-chart="budget-year" data-testid="budget-year" style="height:320px"></div>
    </section>
    <div class="two-col">
      <section class="card">
        <div class="card-head"><h2>${app.t('budget.bySource')}</h2></div>
        <div class="chart" data-chart="budget-source" style="height:300px"></div>
      </section>
      <section class="card">
        <div class="card-head"><h2>${app.t('budget.byDimension')}</h2></div>
        <div class="chart" data-chart="budget-dimension" style="height:300px"></div>
      </section>
    </div>
    <p class="muted small" data-testid="budget-source-note">
      ${app.view('budget') ? app.t('budget.fromServer', { version: app.serverState?.version ?? 0 }) : app.t('budget.computed')}
    </p>
  </div>`;
}

export function budgetCharts(app: App): void {
  const s = app.state;
  if (!s || app.tab !== 'budget') return;
  const all = lines(app);
  const years: number[] = [];
  for (let y = s.startYear; y <= s.endYear; y += 1) years.push(y);
  const money = (v: number) => formatRupiahShort(v, app.lang);
  const byYear: ChartOption = {
    animationDurationUpdate: 300,
    grid: { left: narrow() ? 64 : 90, right: narrow() ? 8 : 20, top: narrow() ? 70 : 40, bottom: 30 },
    legend: { top: 0, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number) => money(v) },
    xAxis: { type: 'category', data: years.map(String), axisTick: { show: false } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v), fontSize: 11 }, splitLine: { lineStyle: { color: '#eef2f6' } } },
    series: BUDGET_SOURCES.map((src) => ({
      type: 'bar',
      name: app.t(`source.${src}`),
      stack: 'total',
      barMaxWidth: 44,
      itemStyle: { color: SOURCE_COLORS[src] },
      emphasis: { focus: 'series' },
      data: years.map((y) => all.filter((l) => l.year === y && l.source === src).reduce((a, l) => a + l.amount, 0)),
    })),
  };
  updateChart('budget-year', byYear);
  const bySource: ChartOption = {
    tooltip: { trigger: 'item', valueFormatter: (v: number) => money(v) },
    legend: narrow() ? { bottom: 0, textStyle: { fontSize: 11 } } : { orient: 'vertical', right: 10, top: 'middle', textStyle: { fontSize: 12 } },
    series: [
      {
        type: 'pie',
        radius: ['42%', '68%'],
        center: narrow() ? ['50%', '42%'] : ['40%', '52%'],
        avoidLabelOverlap: true,
        minShowLabelAngle: 4,
        label: { formatter: (p: { percent: number }) => `${Math.round(p.percent)}%`, fontSize: 11 },
        data: BUDGET_SOURCES.map((src) => ({
          name: app.t(`source.${src}`),
          value: all.filter((l) => l.source === src).reduce((a, l) => a + l.amount, 0),
          itemStyle: { color: SOURCE_COLORS[src] },
        })).filter((d) => d.value > 0),
      },
    ],
  };
  updateChart('budget-source', bySource);
  const pillars = app.pillars;
  const byDimension: ChartOption = {
    animationDurationUpdate: 300,
    grid: { left: narrow() ? 110 : 150, right: narrow() ? 60 : 80, top: 10, bottom: 20 },
    tooltip: { trigger: 'item', valueFormatter: (v: number) => money(v) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v), fontSize: 10 }, splitLine: { lineStyle: { color: '#eef2f6' } } },
    yAxis: { type: 'category', inverse: true, data: pillars.map((d) => (app.lang === 'id' ? d.id_name : d.en_name)), axisTick: { show: false }, axisLabel: { width: narrow() ? 100 : 140, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        barMaxWidth: 22,
        label: { show: true, position: 'right', formatter: (p: { value: number }) => money(p.value), fontSize: 11 },
        data: pillars.map((d) => ({
          value: all.filter((l) => l.dimension === d.id).reduce((a, l) => a + l.amount, 0),
          itemStyle: { color: d.color, borderRadius: [0, 4, 4, 0] },
        })),
      },
    ],
  };
  updateChart('budget-dimension', byDimension);
}
