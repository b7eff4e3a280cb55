// The hotline dashboard's charts, drawn with the vendored ECharts from the
// JSON the page embeds (#hotline-charts).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hotline-charts").textContent);

  var still = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;

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
    option.animation = !still;
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
    xAxis: { type: "value", minInterval: 1 },
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
  // The query leaves out weeks without tickets; the chart shows them as 0,
  // all twelve weeks up to this one (Mondays, as the query counts them).
  function weeks(rows, n) {
    var byWeek = {};
    rows.forEach(function (r) { byWeek[r.week] = r.value; });
    var d = new Date();
    d.setHours(12, 0, 0, 0);
    d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
    var out = [];
    for (var i = n - 1; i >= 0; i--) {
      var m = new Date(d.getTime() - i * 7 * 86400000);
      var key = m.getFullYear() + "-" + String(m.getMonth() + 1).padStart(2, "0") +
        "-" + String(m.getDate()).padStart(2, "0");
      out.push({ week: key, value: byWeek[key] || 0 });
      delete byWeek[key];
    }
    // A week the browser's clock places elsewhere is still shown, not lost.
    Object.keys(byWeek).forEach(function (k) { out.push({ week: k, value: byWeek[k] }); });
    return out.sort(function (a, b) { return a.week < b.week ? -1 : 1; });
  }
  data.by_week = data.by_week.length ? weeks(data.by_week, 12) : data.by_week;

  draw("chart-week", {
    tooltip: { trigger: "axis" },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.by_week.map(function (r) { return r.week; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", areaStyle: {}, showSymbol: true, symbolSize: 6,
               data: data.by_week.map(function (r) { return r.value; }) }]
  }, data.by_week);
})();
