// The explorer's live parts: the network's figures and chart, and a deal's task statuses, refreshed from the pages'
// JSON twins without reloading. Text goes in with textContent only: nothing from the chain is ever parsed as HTML.
"use strict";

function every(ms, step) {
  let stopped = false;
  const run = async () => {
    if (stopped) return;
    try {
      if ((await step()) === false) stopped = true;
    } catch (e) {
      // a refresh that fails (the explorer restarting) is tried again at the next tick
    }
    if (!stopped) setTimeout(run, ms);
  };
  run();
}

async function json(url) {
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) throw new Error(url + " answered " + r.status);
  return r.json();
}

function setText(id, value) {
  const el = document.getElementById(id);
  if (el && el.textContent !== String(value)) el.textContent = String(value);
}

function clock(seconds) {
  return new Date(seconds * 1000).toISOString().substring(11, 19);
}

function network(section) {
  const canvas = document.getElementById("certified-chart");
  let chart = null;
  every(3000, async () => {
    const n = await json(section.dataset.live);
    for (const k of ["deals", "tasksRequested", "tasksCertified", "tasksRefunded", "gasSpent", "activePools",
      "activeWorkers", "workerpools", "apps", "datasets", "block"]) setText(k, n[k]);
    const points = n.certifiedOverTime.map((p) => ({ x: p.time, y: p.certified }));
    if (!window.Chart || !canvas) return;
    if (chart === null) {
      chart = new window.Chart(canvas, {
        type: "line",
        data: { datasets: [{ label: "certified tasks", data: points, borderColor: "#2b6cb0",
          backgroundColor: "rgba(43,108,176,0.15)", fill: true, stepped: true, pointRadius: 2 }] },
        options: { animation: false, maintainAspectRatio: false,
          scales: { x: { type: "linear", ticks: { callback: (v) => clock(v) },
            title: { display: true, text: "chain time (UTC)" } },
            y: { beginAtZero: true, title: { display: true, text: "certified tasks" } } } },
      });
    } else {
      chart.data.datasets[0].data = points;
      chart.update();
    }
  });
}

function deal(section) {
  if (section.dataset.done === "true") return;
  every(1000, async () => {
    const d = await json(section.dataset.live);
    for (const t of d.tasks) {
      const cell = document.getElementById("status-" + t.index);
      if (cell && cell.textContent !== t.status) {
        cell.textContent = t.status;
        cell.className = "status " + t.status;
      }
    }
    setText("certified", d.certified);
    setText("refunded", d.refunded);
    setText("gasUsed", d.gasUsed);
    const body = document.querySelector("#transactions tbody");
    if (body && body.rows.length !== d.transactions.length) {
      body.replaceChildren(...d.transactions.map((t) => {
        const tr = document.createElement("tr");
        const cells = [t.block, t.time ? new Date(t.time * 1000).toISOString().replace("T", " ").substring(0, 19)
          + " UTC" : "", t.tx.substring(0, 8) + "…" + t.tx.substring(t.tx.length - 6), t.what, t.gasUsed];
        cells.forEach((v, i) => {
          const td = document.createElement("td");
          td.textContent = String(v);
          if (i === 2) {
            td.className = "id";
            td.title = t.tx;
          }
          tr.appendChild(td);
        });
        return tr;
      }));
    }
    return !d.done;
  });
}

const networkSection = document.getElementById("network");
if (networkSection) network(networkSection);
const dealSection = document.getElementById("deal");
if (dealSection) deal(dealSection);
