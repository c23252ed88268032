/**
 * The operator page: one WebSocket to `/ws` feeds a model; one requestAnimationFrame loop draws it.
 * Messages never touch the DOM, so 240 Hz input costs the page nothing beyond parsing.
 */
import type { HubMessage } from "../daemon/hubMessages.js";
import { AlertSound } from "./AlertSound.js";
import { byId } from "./dom.js";
import { HubConnection } from "./HubConnection.js";
import { liveness } from "./liveness.js";
import { PageModel } from "./PageModel.js";
import { PlotCanvas } from "./PlotCanvas.js";
import { renderBanner } from "./renderBanner.js";
import { renderBodies } from "./renderBodies.js";
import { renderHistory } from "./renderHistory.js";
import { renderPlots } from "./renderPlots.js";
import { renderProgress } from "./renderProgress.js";
import { renderStatus } from "./renderStatus.js";
import { renderStreams } from "./renderStreams.js";
import { renderTake } from "./renderTake.js";

/** `/ws` on the page's own host, with the page's `?token=` when it has one. */
function hubUrl(): string {
  const url = new URL("/ws", location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const token = new URLSearchParams(location.search).get("token");
  if (token) url.searchParams.set("token", token);
  return url.href;
}

const model = new PageModel();
const sound = new AlertSound(() => model.alarms.needsAttention);
const connection = new HubConnection({
  url: hubUrl(),
  onMessage(message: HubMessage, now: number) {
    model.apply(message, now);
    if (message.type === "alarm" && message.state === "raised" && message.severity === "critical") {
      sound.alarmArrived();
    }
  },
});
const plots = {
  speed: new PlotCanvas(byId<HTMLCanvasElement>("speed-plot")),
  intensity: new PlotCanvas(byId<HTMLCanvasElement>("intensity-plot")),
};

byId("ack").addEventListener("click", () => model.alarms.acknowledgeActive());
byId("mute").addEventListener("click", () => {
  sound.muted = !sound.muted;
});

function frame(): void {
  const now = performance.now();
  renderStatus(model, liveness(model, connection.state, now));
  renderBanner(model, sound, now);
  renderTake(model, now);
  renderBodies(model, now);
  renderStreams(model);
  renderPlots(model, plots, now);
  renderProgress(model);
  renderHistory(model);
  requestAnimationFrame(frame);
}

sound.start();
connection.start();
requestAnimationFrame(frame);
