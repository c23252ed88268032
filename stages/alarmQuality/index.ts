/** How trustworthy the live alarms are: live against offline, and the alarm-management figures. */
export {
  type AlarmFigureRules,
  type AlarmFigures,
  alarmFigures,
  type ChatteringAlarm,
  ISA_18_2,
  type StandingAlarm,
} from "./alarmFigures.js";
export { compareLive, type ModeComparison } from "./compareLive.js";
