import { describe, expect, it } from "vitest";
import type { AlarmEvent, AlarmKind, Severity } from "../../detectors/alarm.js";
import { alarmFigures } from "../../stages/alarmQuality/index.js";

let n = 0;
/** A raised alarm at t and, unless `clearAt` is null, its clear. */
function alarm(
  kind: AlarmKind,
  subject: string,
  t: number,
  clearAt: number | null = t + 1,
  severity: Severity = "critical",
): AlarmEvent[] {
  const id = `${kind}:${subject}:${++n}`;
  const base = { type: "alarm" as const, id, kind, subject, severity, detail: {} };
  const raised: AlarmEvent = { ...base, state: "raised", t };
  return clearAt === null ? [raised] : [raised, { ...base, state: "cleared", t: clearAt }];
}

describe("alarm-management figures (ISA-18.2, EEMUA 191)", () => {
  it("counts alarms per 10 minutes of take, all and critical", () => {
    const f = alarmFigures(
      [...alarm("ot_loss", "sensor_left", 10), ...alarm("held", "sensor_left", 50, 51, "warning")],
      {
        start: 0,
        end: 300,
      },
    );
    expect([f.durationS, f.raised, f.critical, f.per10Min, f.criticalPer10Min]).toEqual([300, 2, 1, 4, 2]);
  });

  it("calls the same alarm raised 3 times within 60 s chattering; 3 within 61 s, or 3 different subjects, are not", () => {
    const f = alarmFigures(
      [
        ...alarm("ot_loss", "sensor_left", 0),
        ...alarm("ot_loss", "sensor_left", 30),
        ...alarm("ot_loss", "sensor_left", 59.9),
        ...alarm("teleport", "sensor_left", 0, 1, "warning"),
        ...alarm("teleport", "sensor_left", 30, 31, "warning"),
        ...alarm("teleport", "sensor_left", 61, 62, "warning"),
        ...alarm("held", "motherboard", 1, 2, "warning"),
        ...alarm("held", "sensor_left", 2, 3, "warning"),
        ...alarm("held", "sensor_right", 3, 4, "warning"),
      ],
      { start: 0, end: 600 },
    );
    expect(f.chattering).toEqual([{ kind: "ot_loss", subject: "sensor_left", raises: 3 }]);
  });

  it("lists the alarms no clear followed: they stand longer than the take", () => {
    const f = alarmFigures(
      [...alarm("ot_loss", "sensor_left", 5, null), ...alarm("stream_stale", "cam1", 6, 8)],
      { start: 0, end: 10 },
    );
    expect(f.standing).toEqual([
      {
        id: expect.stringMatching(/^ot_loss:sensor_left:/),
        kind: "ot_loss",
        subject: "sensor_left",
        severity: "critical",
      },
    ]);
  });

  it("finds floods (≥ 10 alarms within 10 minutes) and the time spent in them", () => {
    // Ten alarms in 90 s from t = 100, then one at 1000, then ten more within 9 s from 2000.
    const times = [
      ...Array.from({ length: 10 }, (_, i) => 100 + 10 * i),
      1000,
      ...Array.from({ length: 10 }, (_, i) => 2000 + i),
    ];
    const f = alarmFigures(
      times.flatMap((t, i) => alarm("teleport", `body${i}`, t, t + 0.5, "warning")),
      { start: 0, end: 2300 },
    );
    // In flood from the 10th alarm (190) until the 1st leaves the window (100 + 600), and from 2009
    // until the take ends (2300).
    expect([f.floods, f.floodS, f.peakPerFloodWindow]).toEqual([2, 700 - 190 + (2300 - 2009), 10]);
    expect(alarmFigures(alarm("teleport", "x", 1), { start: 0, end: 10 })).toMatchObject({
      floods: 0,
      floodS: 0,
      peakPerFloodWindow: 1,
    });
  });
});
