import { describe, expect, it } from "vitest";
import { alarmReason } from "../../web/format.js";

describe("the page's reason line for an alarm", () => {
  it("says why a held pose became critical, and that a loss in the prefix is not streaming yet", () => {
    expect(alarmReason({ reason: "held", rule: 5 })).toBe("held pose, scene moving");
    expect(alarmReason({ reason: "held", rule: "limit" })).toBe("held pose too long");
    expect(alarmReason({ reason: "silence", silentS: 0.1, uninitialised: true })).toBe(
      "not streaming yet: these frames are trimmed",
    );
    expect(alarmReason({ reason: "silence", silentS: 0.1 })).toBeUndefined();
  });
});
