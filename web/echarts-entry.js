// echarts-entry.js: the parts of Apache ECharts that http/static/dashboard.js
// uses, bundled by build.sh into ../http/static/vendor/echarts.min.js as the
// global `echarts` (the same API as the full build: init, registerMap,
// getInstanceByDom, ...). The full build is 1.1 MB and its evaluation alone
// blocked a phone's main thread for a third of a second (issue 21,
// Lighthouse). A chart kind or option that needs another module (a pie, a
// dataZoom, a title) must be added here, or ECharts logs that the component
// or series is not registered and leaves it out.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, HeatmapChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent
} from 'echarts/components';
import { LabelLayout, LegacyGridContainLabel } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([
  BarChart, LineChart, MapChart, HeatmapChart, ScatterChart,
  GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkLineComponent,
  LabelLayout, LegacyGridContainLabel,
  CanvasRenderer
]);

export * from 'echarts/core';
