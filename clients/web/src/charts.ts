// Apache ECharts, tree-shaken: one instance per chart container, updated in place after
// each render (setOption merges, so live updates animate instead of redrawing the page).
import { BarChart, CustomChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  DataZoomComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  PieChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

const charts = new Map<string, { el: HTMLElement; chart: echarts.ECharts; height: number }>();
let resizeBound = false;

/** Sets the option of the chart in `[data-chart=name]`, creating it when its element is new. */
export function updateChart(name: string, option: ChartOption, replace = false): void {
  const el = document.querySelector<HTMLElement>(`[data-chart="${name}"]`);
  const existing = charts.get(name);
  if (!el) {
    if (existing) {
      existing.chart.dispose();
      charts.delete(name);
    }
    return;
  }
  let entry = existing;
  if (!entry || entry.el !== el) {
    entry?.chart.dispose();
    entry = { el, chart: echarts.init(el, undefined, { renderer: 'canvas' }), height: el.clientHeight };
    charts.set(name, entry);
  }
  if (entry.height !== el.clientHeight) {
    entry.height = el.clientHeight;
    entry.chart.resize();
  }
  entry.chart.setOption(option, { notMerge: replace, lazyUpdate: true });
  if (!resizeBound) {
    resizeBound = true;
    window.addEventListener('resize', () => {
      for (const c of charts.values()) c.chart.resize();
    });
  }
}

/** Disposes charts whose containers left the page. */
export function sweepCharts(): void {
  for (const [name, entry] of charts) {
    if (!entry.el.isConnected) {
      entry.chart.dispose();
      charts.delete(name);
    }
  }
}

export function chartInstance(name: string): echarts.ECharts | undefined {
  return charts.get(name)?.chart;
}

export { echarts };

/** A phone-sized screen: charts give their labels less room and stack their legends. */
export function narrow(): boolean {
  return window.matchMedia('(max-width: 640px)').matches;
}
