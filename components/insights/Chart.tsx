/**
 * One ECharts chart (SVG renderer), only the parts the views use: heatmap, line, bar. Hidden
 * values are drawn as gaps (null), never as numbers. Disposed with the component.
 *
 * ECharts is loaded on first use (a dynamic import: not part of the page's first evaluation), and
 * each chart is created in a task of its own (setTimeout 0): the page's eight charts created in
 * the same React commit made one long task (issue 8: the page never freezes; test/bench/insights.mjs).
 */
import { useEffect, useRef } from 'react';
import type * as Echarts from 'echarts/core';

type ECharts = Echarts.ECharts;
export type ChartOption = Parameters<ECharts['setOption']>[0];

/** ECharts, loaded once on first use (components/insights/echarts-setup.ts). */
let loading: Promise<typeof Echarts> | null = null;
const loadEcharts = () => (loading ??= import('./echarts-setup').then((m) => m.echarts));

export function Chart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    const el = ref.current!;
    const resize = new ResizeObserver(() => chart.current?.resize());
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void loadEcharts().then((echarts) => {
      if (cancelled) return;
      timer = setTimeout(() => {
        chart.current = echarts.init(el, null, { renderer: 'svg' });
        chart.current.setOption(latest.current, { notMerge: true });
        resize.observe(el);
      }, 0);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      resize.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={ref} role="img" aria-label={label} data-testid={testId} className="chart" />;
}
