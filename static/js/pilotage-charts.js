// The pilotage dashboard's bar charts (DSFR Chart): a chart keeps its width/height ratio,
// so ten bars drawn on a phone would be too short to name each bar (Chart.js then skips
// labels) and on a wide screen needlessly tall. Give each chart, at its width on load,
// the ratio that leaves it a steady height per bar.
// Once, before the components draw (this module comes first in the page): DSFR Chart
// 2.0.4 redraws on an attribute change but then shows its legend twice.

const BAR_HEIGHT = 28;
const AXIS_HEIGHT = 60;

for (const chart of document.querySelectorAll(".pilotage-chart bar-chart")) {
  const width = chart.clientWidth;
  const bars = JSON.parse(chart.getAttribute("x"))[0].length;
  const height = bars * BAR_HEIGHT + AXIS_HEIGHT;
  if (width) chart.setAttribute("aspect-ratio", (width / height).toFixed(2));
}
