// Draws the 12-week red/amber trend of /dashboard/caseloads with Chart.js. Progressive
// enhancement: without JavaScript (or Chart.js) the page shows the same figures in the table.
(function () {
  'use strict';
  var holder = document.getElementById('caseload-trend');
  var source = document.getElementById('caseload-trend-data');
  if (!holder || !source || typeof window.Chart !== 'function') return;
  var data;
  try {
    data = JSON.parse(source.textContent || '');
  } catch {
    return;
  }
  var canvas = document.createElement('canvas');
  canvas.id = 'caseload-trend-chart';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', data.title);
  canvas.setAttribute('aria-describedby', 'caseload-trend-table');
  canvas.textContent = data.title;
  holder.appendChild(canvas);
  holder.hidden = false;
  var chart = new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: data.labels,
      datasets: [
        { label: data.names.red, data: data.red, borderColor: '#b42318', backgroundColor: '#b42318', tension: 0.2 },
        { label: data.names.amber, data: data.amber, borderColor: '#b54708', backgroundColor: '#b54708', borderDash: [6, 4], tension: 0.2 },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
  // Lets tests (and curious readers) see that the chart has been drawn.
  holder.setAttribute('data-drawn', chart ? 'true' : 'false');
})();
