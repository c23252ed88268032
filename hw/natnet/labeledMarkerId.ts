/**
 * A labeled marker's wire id from its model (asset) id and marker index: model in the high 16 bits,
 * index in the low 16 (PacketClient `DecodeMarkerID`). Unlabeled point-cloud markers use model 0.
 */
export function labeledMarkerId(modelId: number, markerId: number): number {
  return (((modelId & 0xffff) << 16) | (markerId & 0xffff)) >>> 0;
}
