/**
 * ECharts with only the parts the views use (heatmap, line, bar; SVG renderer). Loaded with a
 * dynamic import by Chart.tsx, so the page's first script evaluation does not include it (it was
 * most of a 166 ms long task when the insights page opened).
 */
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export { echarts };
