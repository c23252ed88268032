import { byId, setClass, setText } from "./dom.js";
import { formatElapsed } from "./format.js";
import { PageModel } from "./PageModel.js";

const STATE_LABEL = { idle: "IDLE", take: "RECORDING", between: "BETWEEN TAKES", closed: "SESSION CLOSED" };

/** Take state, episode number and elapsed time (counted on between the daemon's messages). */
export function renderTake(model: PageModel, now: number): void {
  const take = model.take;
  if (!take) {
    setText(byId("take-state"), "no data yet");
    setClass(byId("take-state"), "nodata");
    setText(byId("take-detail"), "");
    return;
  }
  const m = take.message;
  setText(byId("take-state"), STATE_LABEL[m.state] ?? m.state);
  setClass(byId("take-state"), m.state === "take" ? "recording" : "");
  const elapsed =
    m.elapsedS === undefined ? undefined : m.elapsedS + (m.state === "take" ? PageModel.ageOf(take, now) : 0);
  const parts = [
    m.episode === undefined ? "" : `Episode ${m.episode}`,
    elapsed === undefined ? "" : formatElapsed(elapsed),
    m.framesWritten === undefined ? "" : `${m.framesWritten} frames`,
    m.framesDropped ? `${m.framesDropped} dropped` : "",
  ];
  setText(byId("take-detail"), parts.filter(Boolean).join(" · "));
}
