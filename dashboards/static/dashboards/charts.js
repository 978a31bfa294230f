/* Draws every chart of a dashboard page with Apache ECharts (vendored under static/vendor/echarts/).
 *
 * Each chart is an element with data-chart="<id>"; the element <script type="application/json" id="<id>"> holds its
 * spec, written by dashboards/charts.py: {kind: "bar" | "stacked" | "hbar" | "map", title, categories, series}.
 * The figures are also in the table beside each chart, so nothing is lost where scripts do not run.
 */
(function () {
  "use strict";
  var palette = ["#8b1a1a", "#d9822b", "#2b6cb0", "#2f855a", "#805ad5", "#718096"];

  function number(value) {
    return value === null || value === undefined ? "—" : Number(value).toLocaleString("zh-CN");
  }

  function barOption(spec, element) {
    var horizontal = spec.kind === "hbar";
    // Long category names wrap within their slot rather than overlap or run off the edge.
    var slot = Math.max(48, Math.floor((element.clientWidth - 80) / Math.max(1, spec.categories.length)) - 8);
    var categoryAxis = {
      type: "category",
      data: spec.categories,
      inverse: horizontal,
      axisLabel: horizontal ? {} : { interval: 0, width: slot, overflow: "break", lineHeight: 14 }
    };
    var valueAxis = { type: "value", axisLabel: { formatter: function (v) { return number(v); } } };
    return {
      color: palette,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: number },
      legend: { top: 0 },
      grid: { left: 8, right: 40, top: 36, bottom: 16, containLabel: true },
      xAxis: horizontal ? valueAxis : categoryAxis,
      yAxis: horizontal ? categoryAxis : valueAxis,
      series: spec.series.map(function (series) {
        return {
          type: "bar",
          name: series.name,
          data: series.data,
          stack: spec.kind === "stacked" ? "kinds" : undefined,
          emphasis: { focus: "series" }
        };
      })
    };
  }

  function mapOption(spec) {
    var series = spec.series[0];
    return {
      tooltip: {
        trigger: "item",
        formatter: function (item) { return item.name + "<br>" + series.name + "：" + number(item.value); }
      },
      visualMap: {
        min: spec.min, max: spec.max || 1, left: 8, bottom: 8, calculable: true,
        inRange: { color: ["#fdf1e6", "#f4b183", "#d9822b", "#b4441e", "#8b1a1a"] },
        formatter: function (value) { return number(Math.round(value)); }
      },
      series: [{
        type: "map", map: spec.map, name: series.name, data: series.data,
        roam: false, label: { show: false }, emphasis: { label: { show: true } },
        itemStyle: { borderColor: "#888", areaColor: "#eee" }
      }]
    };
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || typeof echarts === "undefined") {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(spec.kind === "map" ? mapOption(spec) : barOption(spec, element));
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-drawn", "true");
  }

  document.querySelectorAll("div[data-chart]").forEach(draw);
})();
