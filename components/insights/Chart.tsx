/**
 * One ECharts chart (SVG renderer), only the parts the views use: heatmap, line, bar. Hidden
 * values are drawn as gaps (null), never as numbers. Disposed with the component.
 *
 * Each chart is created in a task of its own (setTimeout 0): the page's eight charts created in
 * the same React commit made one long task (issue 8: the page never freezes; test/bench/insights.mjs).
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

export function Chart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const latest = useRef(option);
  latest.current = option;
  useEffect(() => {
    const el = ref.current!;
    const resize = new ResizeObserver(() => chart.current?.resize());
    const timer = setTimeout(() => {
      chart.current = echarts.init(el, null, { renderer: 'svg' });
      chart.current.setOption(latest.current, { notMerge: true });
      resize.observe(el);
    }, 0);
    return () => {
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
