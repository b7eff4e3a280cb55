// The hotline dashboard's charts, drawn with the vendored ECharts from the
// JSON the page embeds (#hotline-charts).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hotline-charts").textContent);

  function draw(id, option, rows) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    if (!rows.some(function (r) { return r.value > 0; })) {
      // An empty chart is a blank box: say there is nothing to draw.
      el.classList.add("chart-empty");
      el.textContent = el.dataset.empty || "";
      return;
    }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }

  draw("chart-type", {
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["40%", "62%"], center: ["50%", "45%"],
      label: { formatter: "{b}\n{c}" },
      data: data.by_type.filter(function (s) { return s.value > 0; }) }]
  }, data.by_type);
  draw("chart-agency", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value" },
    yAxis: { type: "category", inverse: true,
             data: data.by_agency.map(function (r) { return r.name; }) },
    series: [{ type: "bar", barMaxWidth: 18, itemStyle: { color: "#1f6feb" },
               data: data.by_agency.map(function (r) { return r.value; }) }]
  }, data.by_agency);
  draw("chart-area", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", inverse: true,
             data: data.by_area.map(function (r) { return r.name; }) },
    series: [{ type: "bar", barMaxWidth: 18, itemStyle: { color: "#2f9e44" },
               data: data.by_area.map(function (r) { return r.value; }) }]
  }, data.by_area);
  draw("chart-week", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.by_week.map(function (r) { return r.week; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", smooth: true, areaStyle: {},
               data: data.by_week.map(function (r) { return r.value; }) }]
  }, data.by_week);
})();
