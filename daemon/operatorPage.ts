/**
 * A minimal page until the operator page lands: it lists the live JSON stream's alarms and health.
 * Served at `/`; everything it shows comes from `/ws`.
 */
export function operatorPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rigwatch</title>
<style>body{font:14px system-ui;margin:1em}li.critical{color:#b00;font-weight:bold}li.warning{color:#a60}</style></head>
<body><h1>rigwatch</h1><p id="health">connecting…</p><ul id="alarms"></ul>
<script>
const ws = new WebSocket(location.href.replace(/^http/, "ws").replace(/\\/?(\\?.*)?$/, "/ws$1"));
const list = document.getElementById("alarms");
ws.onmessage = (event) => {
  const m = JSON.parse(event.data);
  if (m.type === "health") {
    document.getElementById("health").textContent = Object.entries(m.bodies)
      .map(([b, h]) => b + ": " + (h.valid ? "tracked" : "LOST") + ", " + h.rateHz + " Hz, " + h.ageS.toFixed(2) + " s").join(" · ");
  } else if (m.type === "alarm") {
    const li = document.createElement("li");
    li.className = m.severity;
    li.textContent = m.at + " " + m.state + " " + m.kind + " " + m.subject;
    list.prepend(li);
  }
};
</script></body></html>`;
}
