// Assessment result: a bar chart of the DigComp levels (the same figures are in the table below it,
// which stays visible), and the print button of the printable view. No inline script (CSP).
(function () {
  "use strict";

  function drawChart() {
    var canvas = document.getElementById("digital-chart");
    if (!canvas || typeof window.Chart === "undefined") {
      return;
    }
    var labels = canvas.dataset.chartLabels.split("|");
    var levels = canvas.dataset.chartLevels.split(",").map(Number);
    var max = Number(canvas.dataset.chartMax) || 8;
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [{ label: canvas.dataset.chartTitle, data: levels, backgroundColor: "#0b5cad" }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        aspectRatio: 1.6,
        animation: reduceMotion ? false : undefined,
        scales: { x: { min: 0, max: max, ticks: { stepSize: 1 } } },
        plugins: { legend: { display: false } },
      },
    });
  }

  function wirePrint() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawChart();
    wirePrint();
  });
})();
