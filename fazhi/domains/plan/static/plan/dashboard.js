// The plan dashboard's charts, drawn with the vendored ECharts from the JSON
// the page embeds (#plan-charts). Numbers people compare are charts.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("plan-charts").textContent);
  var colours = { green: "#2f9e44", amber: "#f0a92e", red: "#e5484d", none: "#c5cad3" };
  var charts = [];

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }

  draw("chart-status", {
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    legend: { bottom: 0 },
    series: [{
      type: "pie", radius: ["40%", "62%"], center: ["50%", "45%"], avoidLabelOverlap: true,
      label: { formatter: "{b}\n{c}" },
      // Empty slices would still draw labels and leader lines.
      data: data.status.filter(function (s) { return s.value > 0; }).map(function (s) {
        return { name: s.name, value: s.value, itemStyle: { color: colours[s.key] } };
      })
    }]
  });

  var units = data.units;
  draw("chart-units", {
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: units.names, inverse: true },
    series: [
      { name: data.labels.on_time, type: "bar", barMaxWidth: 18, data: units.on_time,
        itemStyle: { color: "#1f6feb" } },
      { name: data.labels.progress, type: "bar", barMaxWidth: 18, data: units.progress,
        itemStyle: { color: "#8fb8f5" } }
    ]
  });

  var empty = data.trend.length === 0;
  draw("chart-trend", {
    title: empty ? { text: data.labels.empty, left: "center", top: "middle",
                     textStyle: { color: "#8a93a3", fontSize: 14, fontWeight: 400 } } : undefined,
    tooltip: { trigger: "axis" },
    legend: { bottom: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 16, bottom: 48, containLabel: true },
    xAxis: { type: "category" },
    yAxis: { type: "value" },
    series: data.trend.map(function (t) {
      return { name: t.name + (t.unit ? "（" + t.unit + "）" : ""), type: "line",
               connectNulls: true, data: t.data };
    })
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
