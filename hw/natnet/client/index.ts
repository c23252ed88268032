export {
  NatNetClient,
  type NatNetClientOptions,
  type NatNetCounters,
  type NatNetLog,
  type NatNetStatus,
} from "./NatNetClient.js";
