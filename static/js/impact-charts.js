/* Impact charts: bar charts drawn from the JSON block the page renders (no inline script, CSP-safe).
   The same figures are in the page's table; a suppressed figure (null) is simply not drawn. */
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("impact-chart-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var set = data[canvas.dataset.chart];
      if (!set) return;
      new window.Chart(canvas, {
        type: "bar",
        data: { labels: set.labels, datasets: [{ label: "%", data: set.values, backgroundColor: "#0d6efd" }] },
        options: {
          animation: false,
          responsive: true,
          plugins: { legend: { display: false } },
          scales: { y: { min: 0, max: 100 } },
        },
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
